/// What a stage decided for one batch, as values: the files to write, where each claimed source
/// goes, the audit lines, and what to clean up. `commit` carries it out in the one fixed order of
/// docs/architecture.md ("The one hand-off"), the same for every stage:
///
///  1. `claimed`  — nothing written yet; the sources are where the stage left them (claimed).
///  2. stage every output as a temp file (and, if `journaled`, the audit lines beside them); flush.
///     → `staged`
///  3. place each output (rename; never over a file unless the output says so). → `half-placed`,
///     then flush. → `placed`
///  4. append the audit lines. → `audited`
///  5. move each source on (`half-moved`), then remove what the decision retired. → `moved`
///
/// A crash anywhere leaves a state the next run finishes: before step 3 the sources are still
/// claimed and redone; after it, a recovered claim finds its outputs in place and logs its work
/// again, and for a stage without claims (fetch) the journal of a dead process gives back the
/// audit lines of outputs it placed but never logged — so the trail may repeat a line, never miss
/// one. Each step is a failpoint named `<label>.<step>`.
struct SpoolTransaction {
    /// A file to write.
    struct Output: Sendable {
        enum Content: Sendable {
            case bytes([UInt8])
            /// Written into space set aside earlier (a receipt after X3 answered, on a full disk).
            case reserved(HandOff.Reservation, [UInt8])
        }

        var content: Content
        var destination: String
        /// false: a file already at `destination` is never replaced; it is a clash.
        var replace = false
        /// What a dry run says about it.
        var note = ""
    }

    /// A file that moves on once the outputs are placed and logged.
    struct Move: Sendable {
        enum Rule: Sendable {
            /// The destination must be free.
            case exactly
            /// `name`, else `stem~2.ext`, `stem~3.ext`…: nothing there is ever replaced.
            case firstFreeName
            /// As `firstFreeName`, and the companion already placed as `name + suffix` follows the
            /// name the file got (an error file beside its failed file).
            case firstFreeNameWithCompanion(String)
        }

        var from: String
        var directory: String
        var name: String
        var rule = Rule.firstFreeName
        /// What a dry run says about it.
        var note = ""
    }

    /// Everything that happens to one claimed source (or one produced file).
    struct Item: Sendable {
        var outputs: [Output] = []
        var events: [AuditEvent] = []
        /// The events' audit lines, when made ahead (beside the hand-off before).
        var lines: [[UInt8]]? = nil
        var moves: [Move] = []
        /// Files removed last (a lookup mark once its payload is decided).
        var removals: [String] = []
        /// When an output clashes with a file that appeared since the stage decided: the item's
        /// outputs already placed are taken back and this item is committed instead. Given the
        /// clashing destination. nil: a clash is a spool error.
        var onClash: (@Sendable (String) -> Item)? = nil
    }

    var label: String
    var items: [Item]
    /// Whether the audit lines are journaled beside the outputs (see `commit`): needed where a
    /// killed run's work is not redone from claims — fetch, whose reports come from Expensify.
    /// Convert and post recover their claims and log the recovered work again.
    var journaled: Bool

    init(label: String, items: [Item], journaled: Bool = false) {
        self.label = label
        self.items = items
        self.journaled = journaled
    }

    /// The steps of `commit`, in order (failpoint names after the label).
    enum Step: String, CaseIterable, Sendable {
        case claimed, staged, halfPlaced = "half-placed", placed, audited, halfMoved = "half-moved", moved
    }

    /// How far a commit got, also when it threw: which items were (being) placed, which took
    /// their clash alternative, and which finished their moves.
    struct Progress {
        var placing = Set<Int>()
        var clashed = Set<Int>()
        var moved = Set<Int>()
        /// The audit lines are in `audit.log`.
        var audited = false
        /// The name each move got, per item, in the order of its moves.
        var movedNames: [Int: [String]] = [:]
    }
}

extension SpoolTransaction {
    /// What `commit` would do, one line per file, for a dry run (which decides and never commits).
    func plan(_ spool: Spool) -> [String] {
        var lines: [String] = []
        for item in items {
            for output in item.outputs {
                lines.append("would write \(spool.relative(output.destination))" + (output.note.isEmpty ? "" : "  (\(output.note))"))
            }
            for move in item.moves {
                lines.append("would move \(spool.relative(move.from)) to \(spool.relative(move.directory))/" + (move.note.isEmpty ? "" : ": \(move.note)"))
            }
        }
        return lines
    }

    /// Carries the transaction out. `observe` sees each step as it is reached (tests of the order).
    @discardableResult
    func commit(_ handOff: HandOff, audit: AuditLog, observe: ((Step) -> Void)? = nil) throws(LedgerDropError) -> Progress {
        var progress = Progress()
        try commit(handOff, audit: audit, progress: &progress, observe: observe)
        return progress
    }

    func commit(_ handOff: HandOff, audit: AuditLog, progress: inout Progress, observe: ((Step) -> Void)? = nil) throws(LedgerDropError) {
        func reach(_ step: Step) {
            observe?(step)
            // The name is made only when a failpoint is armed: a commit pays nothing otherwise.
            if Failpoint.armed != nil { Failpoint.hit("\(label).\(step.rawValue)") }
        }
        reach(.claimed)
        var items = items
        var staged: [[HandOff.Staged]] = []
        for item in items { staged.append(try stage(item.outputs, handOff)) }
        var lines = items.map { $0.lines ?? $0.events.map(\.line) }
        let journal = journaled ? try handOff.journal(zip(lines, items).map { ($0, $1.outputs.map(\.destination)) }) : nil
        try handOff.flush()
        reach(.staged)

        for index in items.indices {
            if index == items.count / 2 { reach(.halfPlaced) }
            progress.placing.insert(index)
            guard let clash = try place(items[index].outputs, staged[index], handOff) else { continue }
            guard let alternative = items[index].onClash else {
                throw LedgerDropError(.spoolUnavailable, "cannot write \(handOff.spool.relative(clash)): a file of that name appeared meanwhile")
            }
            progress.clashed.insert(index)
            items[index] = alternative(clash)
            lines[index] = items[index].events.map(\.line)
            staged[index] = try stage(items[index].outputs, handOff)
            if let again = try place(items[index].outputs, staged[index], handOff) {
                throw LedgerDropError(.spoolUnavailable, "cannot write \(handOff.spool.relative(again)): a file of that name appeared meanwhile")
            }
        }
        try handOff.flush()
        reach(.placed)

        try audit.append(lines: lines.flatMap { $0 })
        handOff.retire(journal)
        progress.audited = true
        reach(.audited)

        for index in items.indices {
            if index == items.count / 2 { reach(.halfMoved) }
            var names: [String] = []
            for move in items[index].moves { names.append(try carry(move, handOff.spool)) }
            progress.movedNames[index] = names
            progress.moved.insert(index)
        }
        for path in items.flatMap(\.removals) { FileSystem.remove(path) }
        reach(.moved)
    }

    private func stage(_ outputs: [Output], _ handOff: HandOff) throws(LedgerDropError) -> [HandOff.Staged] {
        var staged: [HandOff.Staged] = []
        for output in outputs {
            switch output.content {
            case .bytes(let bytes): staged.append(try handOff.stage(bytes))
            case .reserved(let reservation, let bytes): staged.append(try handOff.fill(reservation, with: bytes))
            }
        }
        return staged
    }

    /// Places the outputs in order. On a clash, the ones this item already placed are taken back
    /// and the rest discarded; the clashing destination is returned.
    private func place(_ outputs: [Output], _ staged: [HandOff.Staged], _ handOff: HandOff) throws(LedgerDropError) -> String? {
        var placed: [String] = []
        for (output, file) in zip(outputs, staged) {
            do {
                try handOff.place(file, at: output.destination, replace: output.replace)
                placed.append(output.destination)
            } catch .exists {
                for path in placed { FileSystem.remove(path) }
                for rest in staged { handOff.discard(rest) }
                return output.destination
            } catch {
                throw LedgerDropError(.spoolUnavailable, "cannot write \(handOff.spool.relative(output.destination)): \(error)")
            }
        }
        return nil
    }

    private func carry(_ move: Move, _ spool: Spool) throws(LedgerDropError) -> String {
        switch move.rule {
        case .exactly:
            do { try FileSystem.moveNoReplace(move.from, "\(move.directory)/\(move.name)") } catch {
                throw LedgerDropError(.spoolUnavailable, "cannot move \(spool.relative(move.from)) to \(spool.relative(move.directory))/\(move.name): \(error)")
            }
            return move.name
        case .firstFreeName:
            return try spool.moveAvoidingCollision(move.from, into: move.directory, name: move.name)
        case .firstFreeNameWithCompanion(let suffix):
            let placed = try spool.moveAvoidingCollision(move.from, into: move.directory, name: move.name)
            if placed != move.name {
                try? FileSystem.move("\(move.directory)/\(move.name)\(suffix)", "\(move.directory)/\(placed)\(suffix)")
            }
            return placed
        }
    }
}
