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
        return X3Text.isUnsafe(scalar)
    }
}
