import Dispatch

/// Work started on another thread, its result awaited later: `convert` reads and converts the
/// next batch while the hand-off of the current one waits on the disk.
final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after `wait` returns.
    private var value: Value?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async {
            self.value = work()
            self.done.signal()
        }
    }

    /// The result, once the work is done (at most one caller).
    func wait() -> Value {
        done.wait()
        return value!
    }
}
