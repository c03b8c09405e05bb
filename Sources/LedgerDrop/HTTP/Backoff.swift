/// The pause before a retry, for both clients: `base × 2^(attempt−1)`, capped at 5 minutes, of
/// which the upper half is jittered so that parallel retries spread out; a server's
/// `Retry-After` wins (itself capped at 5 minutes).
public struct Backoff: Sendable {
    public let base: Duration
    public static let cap = Duration.seconds(300)
    /// A value in `0...limit` (nanoseconds); random unless a test fixes it.
    let jitter: @Sendable (Int64) -> Int64

    public init(base: Duration, jitter: @escaping @Sendable (Int64) -> Int64 = { Int64.random(in: 0...max(0, $0)) }) {
        self.base = base
        self.jitter = jitter
    }

    /// The pause before retry number `attempt` (1 for the first retry).
    public func delay(before attempt: Int, retryAfter: Duration? = nil) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), Self.cap) }
        let exponential = min(base.nanoseconds << min(max(attempt - 1, 0), 20), Self.cap.nanoseconds)
        return .nanoseconds(exponential / 2 + min(exponential / 2, max(0, jitter(exponential / 2))))
    }

    /// A `Retry-After` header in seconds (the form X3's and Expensify's gateways send), capped
    /// like every pause; nil when absent or not a non-negative number.
    public static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int64(header.trimmingSpaces), seconds >= 0 else { return nil }
        return .seconds(min(seconds, cap.components.seconds))
    }
}
