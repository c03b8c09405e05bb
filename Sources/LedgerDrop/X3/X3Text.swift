/// Text that comes from X3 (entry numbers, messages) is made safe before it reaches receipts,
/// error files, tables and logs: no control characters (a terminal never receives them raw, a
/// line of a table stays one line) and a bounded length.
public enum X3Text {
    /// X3's codes are short (an entry number such as `ODT-FR011-2026-000001` has 21 characters).
    public static let codeLimit = 40
    public static let messageLimit = 1000

    /// An entry number, entry type or other code.
    public static func code(_ text: String) -> String { clean(text, limit: codeLimit) }

    /// A message of X3's.
    public static func message(_ text: String) -> String { clean(text, limit: messageLimit) }

    /// Control, line-separator and bidirectional-override characters become `?`; the text is
    /// cut on a character boundary, with `…` saying so.
    public static func clean(_ text: String, limit: Int) -> String {
        var out = ""
        var count = 0
        for character in text {
            if count == limit {
                out.append("…")
                break
            }
            out.append(character.unicodeScalars.contains(where: isUnsafe) ? "?" : character)
            count += 1
        }
        return out
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }
}
