/// A transport that waits for the rate limiter before every request.
struct RateLimitedTransport: X3Transport {
    let base: any X3Transport
    let limiter: RequestLimiter

    func post(_ payload: PayloadFile) async -> PostOutcome {
        await limiter.acquire()
        return await base.post(payload)
    }

    func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
        await limiter.acquire()
        return try await base.lookup(payload)
    }

    var checksMasterData: Bool { base.checksMasterData }

    func masterData(_ question: MasterDataQuestion) async throws(LedgerDropError) -> [JSONValue] {
        await limiter.acquire()
        return try await base.masterData(question)
    }

    func checkPublication() async throws(LedgerDropError) -> [(ok: Bool, text: String)] {
        await limiter.acquire()
        return try await base.checkPublication()
    }
}
