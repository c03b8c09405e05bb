import Synchronization
import Testing
@testable import LedgerDrop

/// Answers that come back in any order are handed over per report, in the reports' order, with
/// no more than the window waiting.
@Suite("In-order checks")
struct InOrderChecksTests {
    @Test(arguments: [1, 3, 8])
    func reportsComeOutInOrderWhateverOrderTheAnswersArriveIn(concurrency: Int) async throws {
        // Report i has i % 4 entries (some none); entry n takes longer the smaller n is.
        let groups = (0..<40).map { report in (0..<(report % 4)).map { report * 10 + $0 } }
        let inFlight = Mutex((now: 0, most: 0))
        var seen: [(Int, [Int])] = []
        try await InOrderChecks<Int, Int>(concurrency: concurrency, window: 6).run(groups, check: { item in
            inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try? await Task.sleep(for: .microseconds(200 * (400 - item) % 3000))
            inFlight.withLock { $0.now -= 1 }
            return item * 2
        }) { index, answers in seen.append((index, answers)) }
        #expect(seen.map(\.0) == Array(0..<40))
        #expect(seen.allSatisfy { index, answers in answers == groups[index].map { $0 * 2 } })
        #expect(inFlight.withLock { $0.most } <= concurrency)
    }

    @Test func theFirstFailureStopsTheLaunchesAndIsThrown() async {
        let checked = Mutex(0)
        await #expect(throws: LedgerDropError.self) {
            try await InOrderChecks<Int, Int>(concurrency: 2, window: 4).run((0..<100).map { [$0] }, check: { item throws(LedgerDropError) in
                checked.withLock { $0 += 1 }
                if item == 5 { throw LedgerDropError(.x3Unreachable, "down") }
                return item
            }) { _, _ in }
        }
        #expect(checked.withLock { $0 } < 20, "launches stopped at the failure")
    }
}
