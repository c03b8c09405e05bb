/// Posts one payload until X3 decides (SPEC §6.3, §6.5): retries with exponential backoff and
/// jitter, honours `Retry-After`, and looks the entry up before any retry whose first attempt may
/// have reached X3 — so a payload is never posted twice. No file access: the stage moves files.
struct PostAttempt: Sendable {
    let transport: any X3Transport
    let retries: Int
    let backoff: Duration

    enum Decision: Sendable {
        case posted(X3Entry, diagnoses: [String], recovered: Bool)
        case failed(LedgerDropError, retryable: Bool, reply: String)
        case systemic(LedgerDropError)
    }

    struct Result: Sendable {
        var decision: Decision
        var attempts: Int
        /// One line per retry, for the audit log.
        var retries: [String]
        var firstFailure: Int64?
    }

    func run(_ payload: PayloadFile, recovered: Bool) async -> Result {
        var result = Result(decision: .systemic(LedgerDropError(.x3Unreachable, "not attempted")), attempts: 0, retries: [], firstFailure: nil)
        var mayHaveReachedX3 = recovered
        var everyAttemptRefused = true
        while true {
            if mayHaveReachedX3 {
                // SPEC §6.5: a claim recovered from a crash, or an attempt whose outcome is unknown.
                do {
                    if let found = try await transport.lookup(payload).first {
                        result.decision = .posted(found, diagnoses: [], recovered: true)
                        return result
                    }
                } catch {
                    if case .systemic(let error) = error.outcome { result.decision = .systemic(error); return result }
                    if case .rejected(let error, let reply) = error.outcome { result.decision = .failed(error, retryable: false, reply: reply); return result }
                    // X3 cannot answer the lookup now: wait and look again, never post blind.
                    if result.attempts > retries {
                        result.decision = .failed(LedgerDropError(.retriesExhausted, "X3 did not answer; the entry may or may not be posted, and will be looked up before any new attempt"), retryable: true, reply: "")
                        return result
                    }
                    result.attempts += 1
                    result.retries.append("lookup failed, retrying")
                    await sleep(before: result.attempts, retryAfter: nil)
                    continue
                }
            }
            result.attempts += 1
            switch await transport.post(payload) {
            case .posted(let entry, let diagnoses):
                result.decision = .posted(entry, diagnoses: diagnoses, recovered: false)
                return result
            case .rejected(let error, let reply):
                result.decision = .failed(error, retryable: false, reply: reply)
                return result
            case .systemic(let error):
                result.decision = .systemic(error)
                return result
            case .retryable(let reason, let retryAfter, let outcomeUnknown, let reply):
                result.firstFailure = result.firstFailure ?? Timestamp.now()
                mayHaveReachedX3 = outcomeUnknown
                if outcomeUnknown || !reason.hasPrefix("X3 is not reachable") { everyAttemptRefused = false }
                if result.attempts > retries {
                    if everyAttemptRefused {
                        result.decision = .systemic(LedgerDropError(.x3Unreachable, "X3 refused every connection (\(result.attempts) attempts): \(reason)"))
                    } else if outcomeUnknown {
                        // Never give up blind: one last look tells whether the entry is there.
                        if let found = try? await transport.lookup(payload).first {
                            result.decision = .posted(found, diagnoses: [], recovered: true)
                        } else {
                            result.decision = .failed(LedgerDropError(.retriesExhausted, "\(reason) after \(result.attempts) attempts"), retryable: true, reply: reply)
                        }
                    } else {
                        result.decision = .failed(LedgerDropError(.retriesExhausted, "\(reason) after \(result.attempts) attempts"), retryable: true, reply: reply)
                    }
                    return result
                }
                result.retries.append(reason)
                await sleep(before: result.attempts, retryAfter: retryAfter)
            }
        }
    }

    /// `backoff × 2^(attempt-1)`, capped at 5 minutes, with full jitter in its upper half;
    /// `Retry-After` wins when X3 gives one.
    func sleep(before attempt: Int, retryAfter: Duration?) async {
        let delay: Duration
        if let retryAfter {
            delay = retryAfter
        } else {
            let base = backoff.nanoseconds
            let exponential = min(base << min(attempt - 1, 20), Duration.seconds(300).nanoseconds)
            delay = .nanoseconds(exponential / 2 + Int64.random(in: 0...max(0, exponential / 2)))
        }
        try? await Task.sleep(for: delay)
    }
}
