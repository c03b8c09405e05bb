/// Fault injection for the sandboxes (SPEC §12): latency on every request, and a share of the
/// posts failing in a chosen way — so retries, recovery and exactly-once are tested for real.
public struct SandboxFaults: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// HTTP 503 before anything is processed.
        case unavailable = "503"
        /// HTTP 429 with `Retry-After: 1`... scaled down to 0 in tests.
        case tooManyRequests = "429"
        /// The connection is cut before the request is processed.
        case dropBefore = "drop-before"
        /// The entry is posted, then the connection is cut before the answer.
        case dropAfter = "drop-after"
        /// The entry is posted, then the answer never comes (the client times out).
        case timeout
        /// The entry is posted, then the answer is cut short (a truncated JSON or XML 200).
        case storedTruncated = "stored-truncated"
        /// The entry is posted, then a proxy answers with its own HTML page (HTTP 200).
        case storedHTML = "stored-html"
        /// The entry is posted, then the server fails with a plain-text HTTP 500.
        case storedText500 = "stored-500"
        /// The entry is posted, then the answer comes one byte a second.
        case storedDrip = "stored-drip"
        /// The entry is refused with a message that quotes the request's Authorization header,
        /// as careless servers and proxies do.
        case echoCredentials = "echo-credentials"
    }

    public var latencyMilliseconds: Int
    /// Percentage of posts (0…100) that fail with one of `kinds`, chosen at random.
    public var failPercent: Int
    public var kinds: [Kind]
    /// Fail only the first attempt for each reference, so that every entry gets through in the end.
    public var onlyFirstAttempt: Bool
    /// How long X3 takes to write an entry once it has read the request, whether or not the
    /// client still waits: a poster killed meanwhile leaves its entry in flight.
    public var writeMilliseconds: Int?

    public init(latencyMilliseconds: Int = 0, failPercent: Int = 0, kinds: [Kind] = [], onlyFirstAttempt: Bool = false, writeMilliseconds: Int? = nil) {
        self.latencyMilliseconds = latencyMilliseconds
        self.failPercent = failPercent
        self.kinds = kinds
        self.onlyFirstAttempt = onlyFirstAttempt
        self.writeMilliseconds = writeMilliseconds
    }

    public static let none = SandboxFaults()

    func pick() -> Kind? {
        guard failPercent > 0, !kinds.isEmpty, Int.random(in: 0..<100) < failPercent else { return nil }
        return kinds.randomElement()
    }
}
