import Dispatch

extension Array where Element: Sendable {
    /// `map` over every core. Each element is transformed once, in no particular order; the
    /// results keep the order of the elements.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            // deallocate() alone would leak every result: the slots are deinitialized first.
            _ = results.deinitialize()
            results.deallocate()
        }
        // Each iteration writes only its own slot.
        nonisolated(unsafe) let slots = results
        let elements = self
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots[index] = transform(elements[index])
        }
        return results.map { $0! }
    }
}
