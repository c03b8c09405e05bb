/// The rule for report IDs: 1 to 20 letters, digits, `_` or `-`. A report ID becomes file names
/// (`inbox/<reportID>.json`, entry keys) and X3's 20-character REF, so nothing else is accepted.
public enum ReportID {
    public static func isPlain(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= 20 && value.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
    }
}
