import Foundation

/// `failed/<file>.error.json` (SPEC §5.8, §6.4): why a file could not go on, with every
/// problem and its JSON path.
public struct ErrorFile: Codable, Sendable, Equatable {
    public var stage: String
    public var code: ErrorCode
    public var message: String
    public var remedy: String
    public var file: String
    public var reportIDs: [String]
    public var entryKey: String?
    public var attempts: Int
    public var retryable: Bool
    public var firstFailureAt: String
    public var lastFailureAt: String
    public var problems: [Problem]
    /// X3's raw reply to the last attempt, secrets removed (post stage only).
    public var x3Reply: String?
    /// X3 may hold the entry (SPEC §13.5): it is looked up before any new post.
    public var outcomeUnknown: Bool?

    public init(stage: Stage, error: LedgerDropError, file: String, reportIDs: [String], entryKey: String? = nil, attempts: Int = 1, retryable: Bool = false, at: String, firstFailureAt: String? = nil, x3Reply: String? = nil) {
        self.stage = stage.rawValue
        self.code = error.code
        self.message = error.message
        self.remedy = error.code.remedy
        self.file = file
        self.reportIDs = reportIDs
        self.entryKey = entryKey
        self.attempts = attempts
        self.retryable = retryable
        self.firstFailureAt = firstFailureAt ?? at
        self.lastFailureAt = at
        self.x3Reply = x3Reply
        self.problems = error.problems.isEmpty ? [Problem(error.code, error.message)] : error.problems
    }

    public static let suffix = ".error.json"

    public var bytes: [UInt8] { JSONFile.encode(self) }

    /// The error file within `limit` bytes: X3's reply is cut first, then the problems beyond
    /// the first hundred.
    func bytes(fitting limit: Int) -> [UInt8] {
        var file = self
        var encoded = file.bytes
        if encoded.count > limit, let reply = file.x3Reply {
            file.x3Reply = String(reply.prefix(max(0, reply.count - (encoded.count - limit) - 64))) + "…"
            encoded = file.bytes
        }
        if encoded.count > limit, file.problems.count > 100 {
            file.problems = Array(file.problems.prefix(100))
            encoded = file.bytes
        }
        if encoded.count > limit { file.message = String(file.message.prefix(2000)) + "…"; encoded = file.bytes }
        return encoded
    }

    public static func read(_ bytes: [UInt8]) -> ErrorFile? {
        try? JSONDecoder().decode(ErrorFile.self, from: Data(bytes))
    }
}
