import Testing
@testable import LedgerDrop

/// How long a claim taken over from a dead poster waits before its lookup: what is left of
/// x3.timeout since its last request went out.
@Suite("A dead poster's request in flight")
struct PostStageSettlingTests {
    static let second: Int64 = 1_000_000_000
    static let now: Int64 = 1_780_000_000 * second

    @Test(arguments: [
        (name: "sent just now", lastSent: now, left: Duration.seconds(30)),
        (name: "sent 12 s ago", lastSent: now - 12 * second, left: .seconds(18)),
        (name: "sent 30 s ago", lastSent: now - 30 * second, left: .zero),
        (name: "converted yesterday, never sent", lastSent: now - 86_400 * second, left: .zero),
        (name: "a clock set back since", lastSent: now + 3_600 * second, left: .seconds(30)),
    ])
    func whatIsLeftOfTheTimeout(_ example: (name: String, lastSent: Int64, left: Duration)) {
        #expect(PostStage.settling(lastSent: example.lastSent, now: Self.now, timeout: .seconds(30)) == example.left, "\(example.name)")
    }
}
