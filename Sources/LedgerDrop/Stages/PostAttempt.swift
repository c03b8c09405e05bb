/// Posts one payload until X3 decides (SPEC §6.3, §6.5): retries with backoff, honours
/// `Retry-After`, and looks the entry up before any new attempt whenever an earlier one may have
/// reached X3 — so a payload is never posted twice. Every decision is made from typed outcomes;
/// the clock is injected, so that every branch is tested without waiting. No file access: the
/// stage moves files.
struct PostAttempt: Sendable {
    let transport: any X3Transport
    let retries: Int
    let backoff: Backoff
    let clock: any Clock<Duration>
    let stop: StopSignal?

    init(transport: any X3Transport, retries: Int, backoff: Backoff, clock: any Clock<Duration> = ContinuousClock(), stop: StopSignal? = nil) {
        self.transport = transport
        self.retries = retries
        self.backoff = backoff
        self.clock = clock
        self.stop = stop
    }

    enum Decision: Sendable {
        case posted(X3Entry, diagnoses: [String], recovered: Bool)
        /// `outcomeUnknown`: X3 may hold the entry; it is looked up before any new post.
        case failed(LedgerDropError, retryable: Bool, outcomeUnknown: Bool, reply: String)
        /// The run stops. `mayBeInX3`: the claim must stay claimed, to be looked up next run.
        case systemic(LedgerDropError, mayBeInX3: Bool)
        /// A stop was requested while waiting to retry; nothing more is sent.
        case stopped(mayBeInX3: Bool)
    }

    struct Result: Sendable {
        var decision: Decision
        /// Posts sent (lookups are not counted).
        var attempts = 0
        /// One line per retry, for the audit log.
        var retries: [String] = []
        var firstFailure: Int64?
    }

    /// `lookupFirst`: a claim taken over from a run that stopped, or a payload sent back by
    /// `replay` — X3 may already hold it. `settling`: how long a dead run's request for it may
    /// still be on its way through X3; the first lookup waits that long, because a lookup that
    /// arrives while X3 is still writing the entry finds nothing, and the entry would be posted
    /// twice. `sending` is called just before each post goes out (the stage records the instant).
    func run(_ payload: PayloadFile, lookupFirst: Bool, settling: Duration = .zero, sending: @Sendable () -> Void = {}) async -> Result {
        var result = Result(decision: .stopped(mayBeInX3: lookupFirst))
        var mayBeInX3 = lookupFirst
        if lookupFirst, settling > .zero, !(await pause(settling)) { return result }
        var tries = 0
        var everyPostUnreachable = true
        var everyLookupUnreachable = true
        while true {
            if mayBeInX3 {
                switch await lookUp(payload) {
                case .found(let entry):
                    result.decision = .posted(entry, diagnoses: [], recovered: true)
                    return result
                case .absent:
                    mayBeInX3 = false
                case .stop(let error):
                    result.decision = .systemic(error, mayBeInX3: true)
                    return result
                case .refused(let error, let reply):
                    result.decision = .failed(LedgerDropError(.retriesExhausted, "X3 refused the lookup, so whether the entry is posted is unknown: \(error.message); it will be looked up again before any new post"),
                                              retryable: true, outcomeUnknown: true, reply: reply)
                    return result
                case .retry(let reason, let cause):
                    tries += 1
                    result.firstFailure = result.firstFailure ?? Timestamp.now()
                    if cause != .unreachable { everyLookupUnreachable = false }
                    if tries > retries {
                        let message = "X3 did not answer the lookup (\(reason)); whether the entry is posted is unknown, and it will be looked up before any new post"
                        result.decision = everyLookupUnreachable
                            ? .systemic(LedgerDropError(.x3Unreachable, message), mayBeInX3: true)
                            : .failed(LedgerDropError(.retriesExhausted, message), retryable: true, outcomeUnknown: true, reply: "")
                        return result
                    }
                    result.retries.append("lookup: \(reason)")
                    guard await pause(backoff.delay(before: tries, retryAfter: cause.retryAfter)) else {
                        result.decision = .stopped(mayBeInX3: true)
                        return result
                    }
                    continue
                }
            }
            result.attempts += 1
            tries += 1
            sending()
            switch await transport.post(payload) {
            case .posted(let entry, let diagnoses):
                result.decision = .posted(entry, diagnoses: diagnoses, recovered: false)
                return result
            case .accepted(let diagnoses):
                result.decision = await numberOf(payload, diagnoses: diagnoses, result: &result)
                return result
            case .rejected(let error, let reply):
                result.decision = .failed(error, retryable: false, outcomeUnknown: false, reply: reply)
                return result
            case .systemic(let error):
                // Refused credentials, TLS or DNS: X3 did not take this request.
                result.decision = .systemic(error, mayBeInX3: false)
                return result
            case .retryable(let reason, let cause, let reply):
                result.firstFailure = result.firstFailure ?? Timestamp.now()
                mayBeInX3 = cause == .outcomeUnknown
                if cause != .unreachable { everyPostUnreachable = false }
                if tries > retries {
                    result.decision = await giveUp(payload, reason: reason, reply: reply, mayBeInX3: mayBeInX3, everyPostUnreachable: everyPostUnreachable)
                    return result
                }
                result.retries.append(reason)
                guard await pause(backoff.delay(before: tries, retryAfter: cause.retryAfter)) else {
                    result.decision = .stopped(mayBeInX3: mayBeInX3)
                    return result
                }
            }
        }
    }

    /// The retries are spent. A server that refused every connection is down (the run stops);
    /// an attempt that may have reached X3 gets one last look, never a blind give-up.
    private func giveUp(_ payload: PayloadFile, reason: String, reply: String, mayBeInX3: Bool, everyPostUnreachable: Bool) async -> Decision {
        if everyPostUnreachable {
            return .systemic(LedgerDropError(.x3Unreachable, "X3 refused every connection (\(retries + 1) attempts): \(reason)"), mayBeInX3: false)
        }
        let exhausted = "\(reason) after \(retries + 1) attempts"
        guard mayBeInX3 else {
            return .failed(LedgerDropError(.retriesExhausted, exhausted), retryable: true, outcomeUnknown: false, reply: reply)
        }
        switch await lookUp(payload) {
        case .found(let entry):
            return .posted(entry, diagnoses: [], recovered: true)
        case .absent:
            return .failed(LedgerDropError(.retriesExhausted, "\(exhausted); X3 does not hold the entry"), retryable: true, outcomeUnknown: false, reply: reply)
        case .stop(let error):
            return .systemic(error, mayBeInX3: true)
        case .refused, .retry:
            return .failed(LedgerDropError(.retriesExhausted, "\(exhausted); whether the entry is posted is unknown, and it will be looked up before any new post"),
                           retryable: true, outcomeUnknown: true, reply: reply)
        }
    }

    /// X3 accepted the entry without saying its number: the lookup reads it (SPEC §13.2), a few
    /// times if X3 is slow to show it. Whatever the lookup says, the entry is posted — a receipt
    /// without a number (to be filled by a later lookup) is never a reason to post again.
    private func numberOf(_ payload: PayloadFile, diagnoses: [String], result: inout Result) async -> Decision {
        var why = ""
        asking: for tries in 1...(min(retries, 3) + 1) {
            switch await lookUp(payload) {
            case .found(let entry):
                return .posted(entry, diagnoses: diagnoses, recovered: false)
            case .absent:
                why = "the lookup does not find it yet"
            case .stop(let error), .refused(let error, _):
                // Asking again will not change that.
                why = "the lookup failed: \(error.message)"
                break asking
            case .retry(let reason, _):
                why = "the lookup did not answer: \(reason)"
            }
            if tries > min(retries, 3) { break }
            result.retries.append("number of an accepted entry: \(why)")
            guard await pause(backoff.delay(before: tries, retryAfter: nil)) else { break }
        }
        let pending = "X3 accepted the entry; its number is not known yet (\(why)), and a later lookup fills it in"
        return .posted(X3Entry(entryType: payload.entryType, entryNumber: ""), diagnoses: diagnoses + [pending], recovered: false)
    }

    enum Lookup {
        case found(X3Entry)
        case absent
        case stop(LedgerDropError)
        /// X3 answered the lookup with a refusal (a query it does not know).
        case refused(LedgerDropError, reply: String)
        case retry(String, RetryCause)
    }

    private func lookUp(_ payload: PayloadFile) async -> Lookup {
        do {
            if let found = try await transport.lookup(payload).first { return .found(found) }
            return .absent
        } catch {
            switch error.outcome {
            case .systemic(let error): return .stop(error)
            case .rejected(let error, let reply): return .refused(error, reply: reply)
            case .retryable(let reason, let cause, _): return .retry(reason, cause)
            case .posted(let entry, _): return .found(entry)
            case .accepted: return .absent
            }
        }
    }

    /// Waits on the injected clock; false when a stop is requested meanwhile.
    private func pause(_ delay: Duration) async -> Bool {
        var left = delay
        while left > .zero {
            if stop?.isRequested == true { return false }
            let step = stop == nil ? left : min(left, .milliseconds(50))
            try? await clock.sleep(for: step)
            left -= step
        }
        return stop?.isRequested != true
    }
}

extension RetryCause {
    var retryAfter: Duration? {
        if case .busy(let retryAfter) = self { return retryAfter }
        return nil
    }
}
