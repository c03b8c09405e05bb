/// Text on its way to a terminal or a log line: file names and X3's or Expensify's words may
/// hold control characters (an escape sequence in a file name), which never reach a terminal
/// raw. Newlines and tabs that the text itself lays out are kept; everything else becomes `?`.
public enum TerminalText {
    public static func safe(_ text: String, keepingLines: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0, keepingLines: keepingLines) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(isControl(scalar, keepingLines: keepingLines) ? "?" : scalar) }
        return String(out)
    }

    static func isControl(_ scalar: Unicode.Scalar, keepingLines: Bool) -> Bool {
        if keepingLines, scalar == "\n" || scalar == "\t" { return false }
        return isUnsafe(scalar)
    }

    /// Control, line-separator and bidirectional-override characters: never shown raw.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// One safe line of at most `limit` characters: unsafe characters become `?`, and the text
    /// is cut on a character boundary, with `…` saying so.
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
}
