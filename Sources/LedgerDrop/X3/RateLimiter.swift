/// `x3.rateLimit` (SPEC §6.6): at most that many requests per second to X3, over all concurrent
/// posts and lookups of a run.
public actor RateLimiter {
    let interval: Duration
    private var next = ContinuousClock.now

    /// nil when there is no limit.
    public init?(requestsPerSecond: ExactDecimal?) {
        guard let rate = requestsPerSecond, rate.significand > 0 else { return nil }
        // interval = 1 s / rate, exactly in nanoseconds: 10^(9+scale) / significand.
        interval = .nanoseconds(Int64(Int128(10).power(9 + rate.scale) / rate.significand))
    }

    /// Waits until the next request may go.
    public func acquire() async {
        let now = ContinuousClock.now
        let slot = max(now, next)
        next = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}

/// A transport that waits for the rate limiter before every request.
struct RateLimitedTransport: X3Transport {
    let base: any X3Transport
    let limiter: RateLimiter

    func post(_ payload: PayloadFile) async -> PostOutcome {
        await limiter.acquire()
        return await base.post(payload)
    }

    func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
        await limiter.acquire()
        return try await base.lookup(payload)
    }

    var checksMasterData: Bool { base.checksMasterData }

    func masterDataExists(node: String, filter: String) async throws(LedgerDropError) -> Bool {
        await limiter.acquire()
        return try await base.masterDataExists(node: node, filter: filter)
    }
}
