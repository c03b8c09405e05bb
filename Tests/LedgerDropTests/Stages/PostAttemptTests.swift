import Clocks
import Foundation
import Synchronization
import Testing
@testable import LedgerDrop

/// Every branch of the post attempt loop, over a scripted transport and a clock that never
/// waits: what is sent, in which order, how long it would have waited, and what is decided.
@Suite("Post attempt loop")
struct PostAttemptTests {
    /// Answers from a script, in order, and records every call.
    final class ScriptedTransport: X3Transport, Sendable {
        enum Answer: Sendable {
            case post(PostOutcome)
            case lookup(Result<[X3Entry], LookupFailure>)
        }
        private let state: Mutex<(script: [Answer], calls: [String])>
        /// Told of each call as it is made ("post", "lookup").
        private let onCall: @Sendable (String) -> Void

        init(_ script: [Answer], onCall: @escaping @Sendable (String) -> Void = { _ in }) {
            state = Mutex((script, []))
            self.onCall = onCall
        }

        var calls: [String] { state.withLock { $0.calls } }
        var unused: Int { state.withLock { $0.script.count } }

        func post(_ payload: PayloadFile) async -> PostOutcome {
            onCall("post")
            return state.withLock { state in
                state.calls.append("post")
                guard case .post(let outcome)? = state.script.first else { Issue.record("unexpected post"); return .systemic(LedgerDropError(.x3Rejected, "script")) }
                state.script.removeFirst()
                return outcome
            }
        }

        func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
            onCall("lookup")
            let answer: Result<[X3Entry], LookupFailure> = state.withLock { state in
                state.calls.append("lookup")
                guard case .lookup(let result)? = state.script.first else { Issue.record("unexpected lookup"); return .success([]) }
                state.script.removeFirst()
                return result
            }
            return try answer.get()
        }
    }

    static let entry = X3Entry(entryType: "ODT", entryNumber: "ODT-FR011-2026-000001")
    static let payload = try! PayloadFile.probe()
    static let unknown = PostOutcome.retryable(reason: "no answer", cause: .outcomeUnknown, reply: "")
    static let refused = PostOutcome.retryable(reason: "X3 is not reachable: refused", cause: .unreachable, reply: "")
    static let busy = PostOutcome.retryable(reason: "X3 answered HTTP 503", cause: .busy(retryAfter: nil), reply: "")
    static func lookupFails(_ outcome: PostOutcome) -> ScriptedTransport.Answer { .lookup(.failure(LookupFailure(outcome: outcome))) }

    /// Runs one payload; the jitter is zero, so each wait is exactly half the exponential delay.
    func run(_ script: [ScriptedTransport.Answer], retries: Int = 3, lookupFirst: Bool = false, stop: StopSignal? = nil) async -> (PostAttempt.Result, ScriptedTransport, Duration) {
        let transport = ScriptedTransport(script)
        let clock = ImmediateClock()
        let attempt = PostAttempt(transport: transport, retries: retries, backoff: Backoff(base: .seconds(2), jitter: { _ in 0 }), clock: clock, stop: stop)
        let start = clock.now
        let result = await attempt.run(Self.payload, lookupFirst: lookupFirst)
        #expect(transport.unused == 0, "the whole script is used")
        return (result, transport, start.duration(to: clock.now))
    }

    @Test func postedAtOnce() async {
        let (result, transport, waited) = await run([.post(.posted(Self.entry, diagnoses: ["info"]))])
        guard case .posted(let entry, let diagnoses, let recovered) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(entry == Self.entry && diagnoses == ["info"] && !recovered)
        #expect(transport.calls == ["post"] && result.attempts == 1 && waited == .zero)
    }

    @Test func aRefusalIsFinalAndNeverRetried() async {
        let (result, transport, _) = await run([.post(.rejected(LedgerDropError(.glAccountNotFound, "Account 9: Record does not exist"), reply: "{}"))])
        guard case .failed(let error, let retryable, let unknown, _) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(error.code == .glAccountNotFound && !retryable && !unknown)
        #expect(transport.calls == ["post"])
    }

    @Test func aSystemicAnswerStopsWithoutClaimingX3HasIt() async {
        let (result, _, _) = await run([.post(.systemic(LedgerDropError(.authFailed, "refused")))])
        guard case .systemic(let error, let mayBeInX3) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(error.code == .authFailed && !mayBeInX3)
    }

    @Test func busyIsRetriedWithBackoffAndNoLookup() async {
        let (result, transport, waited) = await run([.post(Self.busy), .post(Self.busy), .post(.posted(Self.entry, diagnoses: []))])
        guard case .posted(_, _, let recovered) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(!recovered)
        #expect(transport.calls == ["post", "post", "post"])
        #expect(waited == .seconds(1) + .seconds(2), "2 s and 4 s, each half jittered (jitter 0 here)")
        #expect(result.retries.count == 2 && result.attempts == 3)
    }

    @Test func retryAfterWinsOverTheBackoff() async {
        let (_, _, waited) = await run([.post(.retryable(reason: "429", cause: .busy(retryAfter: .seconds(7)), reply: "")), .post(.posted(Self.entry, diagnoses: []))])
        #expect(waited == .seconds(7))
    }

    @Test func anUnknownOutcomeIsLookedUpAndFoundIsNotPostedAgain() async {
        let (result, transport, _) = await run([.post(Self.unknown), .lookup(.success([Self.entry]))])
        guard case .posted(let entry, _, let recovered) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(entry == Self.entry && recovered)
        #expect(transport.calls == ["post", "lookup"])
    }

    @Test func anUnknownOutcomeNotFoundIsPostedAgain() async {
        let (result, transport, _) = await run([.post(Self.unknown), .lookup(.success([])), .post(.posted(Self.entry, diagnoses: []))])
        guard case .posted(_, _, let recovered) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(!recovered)
        #expect(transport.calls == ["post", "lookup", "post"])
    }

    @Test func anAcceptedEntryGetsItsNumberFromTheLookup() async {
        let (result, transport, _) = await run([.post(.accepted(diagnoses: ["1 record(s) created"])), .lookup(.success([Self.entry]))])
        guard case .posted(let entry, let diagnoses, let recovered) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(entry == Self.entry && diagnoses == ["1 record(s) created"] && !recovered)
        #expect(transport.calls == ["post", "lookup"] && result.attempts == 1)
    }

    @Test func anAcceptedEntryNotFoundYetIsAskedForAgainThenPostedWithoutANumberNeverResent() async {
        let (result, transport, waited) = await run([.post(.accepted(diagnoses: [])), .lookup(.success([])), Self.lookupFails(Self.busy), .lookup(.success([])), .lookup(.success([]))])
        guard case .posted(let entry, let diagnoses, _) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(entry.entryNumber.isEmpty && diagnoses.last?.contains("not known yet") == true)
        #expect(transport.calls == ["post", "lookup", "lookup", "lookup", "lookup"], "never a second post")
        #expect(result.retries.count == 3 && waited == .seconds(1) + .seconds(2) + .seconds(4))
    }

    @Test func anAcceptedEntryWhoseLookupIsRefusedIsStillPosted() async {
        let (result, transport, _) = await run([.post(.accepted(diagnoses: [])), Self.lookupFails(.systemic(LedgerDropError(.authFailed, "no read right")))])
        guard case .posted(let entry, let diagnoses, _) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(entry.entryNumber.isEmpty && diagnoses.last?.contains("no read right") == true)
        #expect(transport.calls == ["post", "lookup"])
    }

    @Test func aLookupThatCannotAnswerIsRetriedNeverSkipped() async {
        let (result, transport, _) = await run([.post(Self.unknown), Self.lookupFails(Self.busy), .lookup(.success([Self.entry]))])
        guard case .posted(_, _, let recovered) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(recovered)
        #expect(transport.calls == ["post", "lookup", "lookup"])
    }

    @Test func lookupsThatNeverAnswerEndAsRetriesExhaustedWithTheOutcomeUnknown() async {
        let (result, transport, _) = await run([.post(Self.unknown), Self.lookupFails(Self.busy), Self.lookupFails(Self.unknown)], retries: 2)
        guard case .failed(let error, let retryable, let unknown, _) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(error.code == .retriesExhausted && retryable && unknown)
        #expect(transport.calls == ["post", "lookup", "lookup"])
    }

    @Test func lookupsThatAreAllRefusedConnectionsStopTheRunAndKeepTheClaim() async {
        let (result, _, _) = await run([Self.lookupFails(Self.refused), Self.lookupFails(Self.refused)], retries: 1, lookupFirst: true)
        guard case .systemic(let error, let mayBeInX3) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(error.code == .x3Unreachable && mayBeInX3)
    }

    @Test func aLookupX3RefusesFailsTheItemWithTheOutcomeUnknown() async {
        let (result, _, _) = await run([Self.lookupFails(.rejected(LedgerDropError(.x3Rejected, "Cannot query field reference"), reply: "{}"))], lookupFirst: true)
        guard case .failed(let error, _, let unknown, _) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(error.code == .retriesExhausted && unknown)
    }

    @Test func aSystemicLookupStopsAndKeepsTheClaim() async {
        let (result, _, _) = await run([Self.lookupFails(.systemic(LedgerDropError(.authFailed, "401")))], lookupFirst: true)
        guard case .systemic(_, let mayBeInX3) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(mayBeInX3)
    }

    @Test func aRecoveredClaimIsLookedUpBeforeAnyPost() async {
        let (result, transport, _) = await run([.lookup(.success([Self.entry]))], lookupFirst: true)
        guard case .posted(_, _, let recovered) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(recovered && transport.calls == ["lookup"] && result.attempts == 0)
    }

    @Test func aRecoveredClaimNotInX3IsPosted() async {
        let (result, transport, _) = await run([.lookup(.success([])), .post(.posted(Self.entry, diagnoses: []))], lookupFirst: true)
        guard case .posted(_, _, let recovered) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(!recovered && transport.calls == ["lookup", "post"])
    }

    @Test func everyConnectionRefusedIsSystemicNotAnItemFailure() async {
        let (result, transport, _) = await run([.post(Self.refused), .post(Self.refused), .post(Self.refused)], retries: 2)
        guard case .systemic(let error, let mayBeInX3) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(error.code == .x3Unreachable && !mayBeInX3)
        #expect(transport.calls.count == 3)
    }

    @Test func retriesExhaustedAfterBusyAnswersNeedNoLookup() async {
        let (result, transport, _) = await run([.post(Self.refused), .post(Self.busy), .post(Self.busy)], retries: 2)
        guard case .failed(let error, let retryable, let unknown, _) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(error.code == .retriesExhausted && retryable && !unknown)
        #expect(transport.calls == ["post", "post", "post"])
    }

    @Test func retriesExhaustedAfterAnUnknownOutcomeLookOnceMore() async {
        // The budget is spent by post, lookup, post; the last post's outcome is unknown.
        let found = await run([.post(Self.unknown), .lookup(.success([])), .post(Self.unknown), .lookup(.success([Self.entry]))], retries: 1)
        guard case .posted(_, _, true) = found.0.decision else { Issue.record("\(found.0.decision)"); return }
        let absent = await run([.post(Self.unknown), .lookup(.success([])), .post(Self.unknown), .lookup(.success([]))], retries: 1)
        guard case .failed(let error, _, let unknown, _) = absent.0.decision else { Issue.record("\(absent.0.decision)"); return }
        #expect(error.code == .retriesExhausted && !unknown, "X3 said it does not hold the entry")
        let silent = await run([.post(Self.unknown), .lookup(.success([])), .post(Self.unknown), Self.lookupFails(Self.unknown)], retries: 1)
        guard case .failed(_, _, let stillUnknown, _) = silent.0.decision else { Issue.record("\(silent.0.decision)"); return }
        #expect(stillUnknown)
        let stopped = await run([.post(Self.unknown), .lookup(.success([])), .post(Self.unknown), Self.lookupFails(.systemic(LedgerDropError(.authFailed, "401")))], retries: 1)
        guard case .systemic(_, true) = stopped.0.decision else { Issue.record("\(stopped.0.decision)"); return }
    }

    @Test func aStopDuringTheBackoffEndsTheAttemptAndSaysWhetherX3MayHoldIt() async {
        let stop = StopSignal()
        stop.request()
        let busy = await run([.post(Self.busy)], stop: stop)
        guard case .stopped(false) = busy.0.decision else { Issue.record("\(busy.0.decision)"); return }
        let unknown = await run([.post(Self.unknown)], stop: stop)
        guard case .stopped(true) = unknown.0.decision else { Issue.record("\(unknown.0.decision)"); return }
        let lookingUp = await run([Self.lookupFails(Self.busy)], lookupFirst: true, stop: stop)
        guard case .stopped(true) = lookingUp.0.decision else { Issue.record("\(lookingUp.0.decision)"); return }
    }

    /// A claim whose dead poster's request may still be on its way through X3: nothing is asked
    /// before it settled, then the lookup decides; each post that goes out is announced first.
    @Test(arguments: [Duration.zero, .seconds(5)])
    func aRequestStillInFlightIsLookedUpOnlyOnceItSettled(settling: Duration) async {
        let clock = ImmediateClock()
        let start = clock.now
        let events = Mutex<[String]>([])
        let transport = ScriptedTransport([.lookup(.success([])), .post(Self.unknown), .lookup(.success([])), .post(.posted(Self.entry, diagnoses: []))]) { call in
            events.withLock { $0.append("\(call) at \(start.duration(to: clock.now))") }
        }
        let attempt = PostAttempt(transport: transport, retries: 3, backoff: Backoff(base: .seconds(2), jitter: { _ in 0 }), clock: clock)
        let result = await attempt.run(Self.payload, lookupFirst: true, settling: settling, sending: { events.withLock { $0.append("sending") } })
        guard case .posted(_, _, false) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(events.withLock { $0 } == ["lookup at \(settling)", "sending", "post at \(settling)", "lookup at \(settling + .seconds(1))", "sending", "post at \(settling + .seconds(1))"])
    }

    @Test func aStopWhileARequestSettlesAsksNothingAndKeepsTheClaim() async {
        let stop = StopSignal()
        stop.request()
        let transport = ScriptedTransport([])
        let attempt = PostAttempt(transport: transport, retries: 3, backoff: Backoff(base: .seconds(2)), clock: ImmediateClock(), stop: stop)
        let result = await attempt.run(Self.payload, lookupFirst: true, settling: .seconds(30))
        guard case .stopped(true) = result.decision else { Issue.record("\(result.decision)"); return }
        #expect(transport.calls.isEmpty)
    }

    @Test func theBackoffDoublesAndIsCappedAtFiveMinutes() {
        let backoff = Backoff(base: .seconds(2), jitter: { $0 })
        #expect(backoff.delay(before: 1) == .seconds(2))
        #expect(backoff.delay(before: 2) == .seconds(4))
        #expect(backoff.delay(before: 12) == .seconds(300))
        #expect(Backoff(base: .seconds(2), jitter: { _ in 0 }).delay(before: 3) == .seconds(4), "the lower half is never jittered away")
        #expect(backoff.delay(before: 1, retryAfter: .seconds(900)) == .seconds(300))
    }
}
