/// Recognises X3's messages (SPEC §6.3): which §10 code a refusal deserves.
public enum X3MessageClassifier {
    public static func code(for messages: [String]) -> ErrorCode {
        for message in messages {
            let text = message.lowercased()
            // The accounting rules of SPEC §13.4 name an account too, but are not a missing one.
            if text.contains("control account") || text.contains("business partner") || text.contains("tax code") { continue }
            if text.contains("record does not exist") || text.contains("does not exist") || text.contains("inexistant") {
                if text.hasPrefix("account") || text.contains("account ") || text.contains("gl account") || text.contains("compte") {
                    return .glAccountNotFound
                }
                if text.contains("dimension") || text.contains("cost center") || text.contains("cost centre") || text.contains("section") {
                    return .costCenterNotFound
                }
            }
            if text.contains("period") && (text.contains("closed") || text.contains("not open") || text.contains("does not exist") || text.contains("non-existent")) {
                return .periodClosed
            }
            if text.contains("fiscal year") && (text.contains("closed") || text.contains("does not exist")) {
                return .periodClosed
            }
            if text.contains("unbalanced") || text.contains("not balanced") || text.contains("balance") && text.contains("debit") {
                return .entryUnbalanced
            }
        }
        return .x3Rejected
    }
}
