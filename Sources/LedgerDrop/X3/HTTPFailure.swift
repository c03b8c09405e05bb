/// What an HTTP answer or a failed exchange means for exactly-once (SPEC §6.3, §6.5), for both
/// X3 transports. Decided from the status and the error's type, never from any text.
enum HTTPFailure {
    /// What a failed exchange means for the post: retry, look up first, or stop the run.
    static func outcome(of failure: ExchangeFailure, url: String) -> PostOutcome {
        switch failure.kind {
        case .unreachable:
            .retryable(reason: "X3 is not reachable: \(failure.message)", cause: .unreachable, reply: "")
        case .outcomeUnknown:
            .retryable(reason: "no readable answer from X3: \(failure.message)", cause: .outcomeUnknown, reply: "")
        case .tls, .nameResolution, .invalidURL, .redirected:
            .systemic(LedgerDropError(.x3Unreachable, "cannot reach X3 at \(url): \(failure.message)"))
        }
    }

    /// 429 and 503 are "not now" (nothing was done); 502 and 504 come from a gateway that may
    /// have passed the request on, so the entry is looked up before posting again. nil for any
    /// other status.
    static func retryable(status: UInt, retryAfter: String?, reply: String) -> PostOutcome? {
        switch status {
        case 429, 503:
            return .retryable(reason: "X3 answered HTTP \(status)", cause: .busy(retryAfter: Backoff.retryAfter(retryAfter)), reply: reply)
        case 502, 504:
            return .retryable(reason: "X3's gateway answered HTTP \(status)", cause: .outcomeUnknown, reply: reply)
        default:
            return nil
        }
    }

    /// An answer that says neither "stored" nor "refused" (a truncated body, a proxy's HTML page,
    /// a stack trace): X3 may have stored the entry, so it is looked up, never filed as refused.
    static func unreadable(status: UInt, what: String, reply: String) -> PostOutcome {
        .retryable(reason: "X3 answered HTTP \(status) with \(what); the entry may have been stored", cause: .outcomeUnknown, reply: reply)
    }
}
