import Synchronization

/// A request to stop, set by SIGINT/SIGTERM (through swift-service-lifecycle) and read by the
/// stages between items: the item in hand is finished, the rest stays where it is.
public final class StopSignal: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    public func request() { requested.store(true, ordering: .relaxed) }
    public var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Sleeps for `duration` or until a stop is requested, whichever comes first.
    /// Returns false when woken by a stop.
    @discardableResult
    public func sleep(for duration: Duration) async -> Bool {
        let deadline = ContinuousClock.now + duration
        while !isRequested {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return true }
            try? await Task.sleep(for: min(left, .milliseconds(50)))
        }
        return false
    }
}
