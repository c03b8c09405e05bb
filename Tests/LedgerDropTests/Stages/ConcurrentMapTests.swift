import Testing
@testable import LedgerDrop

@Suite("Concurrent map")
struct ConcurrentMapTests {
    @Test(arguments: [0, 1, 2, 7, 1000])
    func keepsOrderAndTransformsEachOnce(count: Int) {
        let input = Array(0..<count)
        #expect(input.concurrentMap { $0 * 3 } == input.map { $0 * 3 })
    }
}
