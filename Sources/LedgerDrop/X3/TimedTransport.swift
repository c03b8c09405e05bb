/// Which X3 request an observer is told of.
public enum X3Operation: String, Sendable { case post, lookup }

/// Told how long each X3 request took (the metrics file's latency histogram).
public protocol X3Observer: Sendable {
    func record(_ operation: X3Operation, _ duration: Duration)
}

/// A transport that times every post and lookup for an observer; what the transport answers
/// goes through unchanged.
struct TimedTransport: X3Transport {
    let base: any X3Transport
    let observer: any X3Observer

    func post(_ payload: PayloadFile) async -> PostOutcome {
        let started = ContinuousClock.now
        let outcome = await base.post(payload)
        observer.record(.post, ContinuousClock.now - started)
        return outcome
    }

    func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
        let started = ContinuousClock.now
        defer { observer.record(.lookup, ContinuousClock.now - started) }
        return try await base.lookup(payload)
    }

    var checksMasterData: Bool { base.checksMasterData }

    func masterData(_ question: MasterDataQuestion) async throws(LedgerDropError) -> [JSONValue] {
        try await base.masterData(question)
    }

    func checkPublication() async throws(LedgerDropError) -> [(ok: Bool, text: String)] {
        try await base.checkPublication()
    }
}
