/// Checks the posted entries of many reports up to `concurrency` at once, and hands each report's
/// answers over in the reports' order as soon as all of its entries are answered (issue 12): rows
/// come out sorted, and no more than `window` answers wait for a slow one before them — memory
/// stays flat however many reports there are.
struct InOrderChecks<Item: Sendable, Answer: Sendable> {
    let concurrency: Int
    /// Answers at most this far ahead of the oldest one not yet handed over.
    let window: Int

    init(concurrency: Int, window: Int? = nil) {
        self.concurrency = max(1, concurrency)
        self.window = window ?? max(64, 16 * max(1, concurrency))
    }

    /// `groups[i]` are report i's items (possibly none); `each(i, answers)` is called in order of
    /// i, in the caller's task. The first error stops the launches and is thrown once the
    /// requests in flight are back.
    func run(_ groups: [[Item]], check: @escaping @Sendable (Item) async throws(LedgerDropError) -> Answer,
             each: (Int, [Answer]) -> Void) async throws(LedgerDropError) {
        // The items flattened, and where each group starts.
        var starts: [Int] = []
        var total = 0
        for group in groups {
            starts.append(total)
            total += group.count
        }
        var launched = 0
        var nextGroup = 0
        var pending: [Int: Answer] = [:]
        var failure: LedgerDropError?
        func item(_ flat: Int) -> Item {
            // The group holding `flat`: groups are handed over in order, so search from the next.
            var g = nextGroup
            while g + 1 < starts.count, starts[g + 1] <= flat { g += 1 }
            return groups[g][flat - starts[g]]
        }
        func handOver() {
            while nextGroup < groups.count {
                let range = starts[nextGroup]..<(starts[nextGroup] + groups[nextGroup].count)
                guard range.allSatisfy({ pending[$0] != nil }) else { return }
                each(nextGroup, range.map { pending.removeValue(forKey: $0)! })
                nextGroup += 1
            }
        }
        handOver()
        await withTaskGroup(of: (Int, Result<Answer, LedgerDropError>).self) { tasks in
            var inFlight = 0
            func launch() {
                let oldest = nextGroup < starts.count ? starts[nextGroup] : total
                while failure == nil, inFlight < concurrency, launched < total, launched - oldest < window {
                    let flat = launched
                    let work = item(flat)
                    launched += 1
                    inFlight += 1
                    tasks.addTask {
                        do throws(LedgerDropError) { return (flat, .success(try await check(work))) } catch { return (flat, .failure(error)) }
                    }
                }
            }
            launch()
            while let (flat, result) = await tasks.next() {
                inFlight -= 1
                switch result {
                case .success(let answer): pending[flat] = answer
                case .failure(let error): failure = failure ?? error
                }
                if failure == nil { handOver() }
                launch()
            }
        }
        if let failure { throw failure }
    }
}
