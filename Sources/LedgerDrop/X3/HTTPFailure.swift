import AsyncHTTPClient

/// What a failed HTTP exchange means for exactly-once (SPEC §6.3, §6.5).
enum HTTPFailure {
    enum Kind {
        /// The request never left: safe to retry without a lookup.
        case notSent
        /// It may have reached X3: look the entry up before any retry.
        case unknown
        /// TLS or name resolution: no retry will help; stop the run.
        case systemic
    }

    static func kind(of error: any Error) -> Kind {
        if let error = error as? HTTPClientError, error == .connectTimeout || error == .invalidURL || error == .emptyHost {
            return .notSent
        }
        let text = describe(error).lowercased()
        if text.contains("refused") || text.contains("connectiontimeout") || text.contains("connect timeout") { return .notSent }
        if text.contains("ssl") || text.contains("tls") || text.contains("certificate") || text.contains("handshake") { return .systemic }
        if text.contains("dns") || text.contains("resolve") || text.contains("nodename") || text.contains("name or service") { return .systemic }
        return .unknown
    }

    /// What a failed exchange means for the post: retry, look up first, or stop the run.
    static func outcome(of error: any Error, url: String, redact: Redactor) -> PostOutcome {
        let description = redact(describe(error))
        switch kind(of: error) {
        case .notSent: return .retryable(reason: "X3 is not reachable: \(description)", retryAfter: nil, outcomeUnknown: false, reply: "")
        case .unknown: return .retryable(reason: "no answer from X3: \(description)", retryAfter: nil, outcomeUnknown: true, reply: "")
        case .systemic: return .systemic(LedgerDropError(.x3Unreachable, "cannot reach X3 at \(url): \(description)"))
        }
    }

    /// 429, 502, 503 and 504 are worth another try; a gateway's 502/504 may come after X3 did the
    /// work, so the entry is looked up before posting again. nil for any other status.
    static func retryable(status: UInt, retryAfter: String?, reply: String) -> PostOutcome? {
        guard [429, 502, 503, 504].contains(status) else { return nil }
        let delay = retryAfter.flatMap { Int64($0.trimmingSpaces) }.flatMap { $0 >= 0 ? Duration.seconds(min($0, 300)) : nil }
        return .retryable(reason: "X3 answered HTTP \(status)", retryAfter: delay, outcomeUnknown: status == 502 || status == 504, reply: reply)
    }

    static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}
