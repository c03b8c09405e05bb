import Foundation
import Testing
@testable import LedgerDrop

@Suite("The client-side request limit of Expensify and X3")
struct RequestLimiterTests {
    let limits = [Configuration.RequestLimit(requests: 5, per: .seconds(10)), Configuration.RequestLimit(requests: 20, per: .seconds(60))]
    var windows: [RequestLimiter.Window] { RequestLimiter(expensify: limits, stateFile: nil).windows }

    @Test func slotsKeepEveryWindowWithinItsLimit() {
        var booked: [Int64] = []
        for _ in 0..<25 { booked.append(RequestLimiter.nextSlot(after: 0, booked: booked, windows: windows, unit: .milliseconds(1))) }
        // Five at once, then the sixth 10.5 s (window + margin) after the first…
        #expect(Array(booked.prefix(6)) == [0, 0, 0, 0, 0, 10_500])
        // …and no window of either length ever holds more than its limit.
        for (index, time) in booked.enumerated() {
            #expect(booked[...index].filter { $0 > time - 10_000 }.count <= 5)
            #expect(booked[...index].filter { $0 > time - 60_000 }.count <= 20)
        }
        #expect(booked[20] >= booked[0] + 60_000)
    }

    @Test func limitsReadFromConfiguration() {
        #expect(Configuration.RequestLimit("5/10s") == .init(requests: 5, per: .seconds(10)))
        #expect(Configuration.RequestLimit(" 20 / 1m ") == .init(requests: 20, per: .seconds(60)))
        #expect(Configuration.RequestLimit("0/10s") == nil && Configuration.RequestLimit("5") == nil && Configuration.RequestLimit("5/0s") == nil)
    }

    @Test func aStateFileIsSharedAndAPauseHoldsEveryone() async throws {
        let file = NSTemporaryDirectory() + "ledgerdrop-limiter-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: file) }
        let tight = [Configuration.RequestLimit(requests: 2, per: .milliseconds(300))]
        let a = RequestLimiter(expensify: tight, stateFile: file)
        let b = RequestLimiter(expensify: tight, stateFile: file)
        let started = ContinuousClock.now
        #expect(await a.acquire())
        #expect(await b.acquire())
        // The third request, from either limiter, waits for the window (300 ms + 100 ms margin).
        #expect(await a.acquire())
        #expect(ContinuousClock.now - started >= .milliseconds(390))
        await b.pause(for: .milliseconds(300))
        let paused = ContinuousClock.now
        #expect(await a.acquire())
        #expect(ContinuousClock.now - paused >= .milliseconds(290))
        // A stop ends a wait at once.
        await a.pause(for: .seconds(30))
        let stop = StopSignal()
        stop.request()
        #expect(await b.acquire(stop: stop) == false)
    }

    @Test func x3RequestsAreEvenlySpaced() async throws {
        let limiter = try #require(RequestLimiter(x3: ExactDecimal(Substring("100"))))
        #expect(limiter.windows == [.init(requests: 1, per: .milliseconds(10))])
        let start = ContinuousClock.now
        for _ in 0..<11 { await limiter.acquire() }
        #expect(ContinuousClock.now - start >= .milliseconds(95))
        #expect(RequestLimiter(x3: nil) == nil)
        #expect(RequestLimiter(x3: ExactDecimal(Substring("0"))) == nil)
    }

    @Test(arguments: [("2.5", 400_000_000), ("3", 333_333_333), ("1000", 1_000_000)] as [(String, Int64)])
    func x3IntervalIsExact(rate: String, nanoseconds: Int64) throws {
        let limiter = try #require(RequestLimiter(x3: ExactDecimal(Substring(rate))))
        #expect(limiter.windows.first?.per == .nanoseconds(nanoseconds))
        // Evenly spaced: each slot one interval after the one before, none at once.
        var booked: [Int64] = []
        for _ in 0..<4 { booked.append(RequestLimiter.nextSlot(after: 0, booked: booked, windows: limiter.windows)) }
        #expect(booked == [0, nanoseconds, 2 * nanoseconds, 3 * nanoseconds])
    }
}

extension RequestLimiterTests {
    @Test func anAnsweredRequestCountsFromItsAnswer() {
        // Exact times (one process) and times read back from the state file (rounded up to ms).
        var exact: [Int64] = [1_000, 2_000_500]
        RequestLimiter.move(2_000_500, to: 90_000_000, in: &exact)
        #expect(exact == [1_000, 90_000_000])
        var fromFile: [Int64] = [1_000_000, 3_000_000, 5_000_000]
        RequestLimiter.move(2_000_001, to: 4_000_000, in: &fromFile)
        #expect(fromFile == [1_000_000, 4_000_000, 5_000_000])
        // A slot no longer booked (dropped past the horizon): the answer is booked instead.
        var dropped: [Int64] = [7_000_000]
        RequestLimiter.move(1_000_000, to: 8_000_000, in: &dropped)
        #expect(dropped == [7_000_000, 8_000_000])
        // The next slot waits a window from the answer, not from when the request was sent.
        let window = [RequestLimiter.Window(requests: 1, per: .milliseconds(100))]
        #expect(RequestLimiter.nextSlot(after: 0, booked: exact, windows: window) == 190_000_000)
    }

    @Test func aSlowAnswerDelaysTheNextRequestOfAnotherProcess() async throws {
        let file = NSTemporaryDirectory() + "ledgerdrop-limiter-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: file) }
        let one = [Configuration.RequestLimit(requests: 1, per: .milliseconds(200))]
        let a = RequestLimiter(expensify: one, stateFile: file)
        let b = RequestLimiter(expensify: one, stateFile: file)
        let slot = try #require(await a.book())
        try await Task.sleep(for: .milliseconds(250))
        await a.answered(slot)
        let answered = ContinuousClock.now
        #expect(await b.acquire())
        // 200 ms + 100 ms margin from the answer, although the booked slot is long past.
        #expect(ContinuousClock.now - answered >= .milliseconds(290))
    }
}
