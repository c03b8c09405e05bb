/// Text that comes from X3 (entry numbers, messages) is made safe before it reaches receipts,
/// error files, tables and logs: no control characters (a terminal never receives them raw, a
/// line of a table stays one line) and a bounded length.
public enum X3Text {
    /// X3's codes are short (an entry number such as `ODT-FR011-2026-000001` has 21 characters).
    public static let codeLimit = 40
    public static let messageLimit = 1000

    /// An entry number, entry type or other code.
    public static func code(_ text: String) -> String { TerminalText.clean(text, limit: codeLimit) }

    /// A message of X3's.
    public static func message(_ text: String) -> String { TerminalText.clean(text, limit: messageLimit) }
}
