import Logging

/// inbox → outbox (SPEC §5): claims report files, converts them, and hands payloads to
/// `outbox/` and sources to `archive/` — or the source to `failed/` with its error file — in
/// durable batches.
public final class ConvertStage {
    public struct Options: Sendable {
        public var dryRun = false
        public var force = false
        public var batchSize = 1024
        /// nil: the configuration's `minFileAge`.
        public var minimumAge: Duration? = nil
        /// Inbox files known to be complete whatever their age (`run`: what the fetch just wrote).
        public var complete: Set<String> = []
        /// Checked between batches: once set, the batch in hand is finished and the rest waits.
        public var stop: StopSignal? = nil
        /// Where a dry run says what it would do, one line at a time (the library never prints).
        public var plan: (@Sendable (String) -> Void)? = nil

        public init(dryRun: Bool = false, force: Bool = false, batchSize: Int = 1024, minimumAge: Duration? = nil, complete: Set<String> = [], stop: StopSignal? = nil) {
            self.complete = complete
            self.stop = stop
            self.dryRun = dryRun
            self.force = force
            self.batchSize = batchSize
            self.minimumAge = minimumAge
        }
    }

    let spool: Spool
    let converter: Converter
    let renderer: PayloadRenderer
    let options: Options
    let minimumAge: Duration
    let logger: Logger
    let runID: String
    let audit: AuditLog
    var summary = ConvertSummary()
    /// Claims whose outputs were (or may have been) placed: on a stop they stay claimed, and the
    /// next run recognises their payloads as its own. Every other claim goes back to the inbox.
    var keepClaimed = Set<String>()

    public init(spool: Spool, configuration: Configuration, options: Options = Options(), logger: Logger, run: String = AuditLog.newRunID()) {
        self.spool = spool
        self.converter = Converter(configuration: configuration)
        self.renderer = PayloadRenderer(configuration: configuration)
        self.options = options
        self.minimumAge = options.minimumAge ?? configuration.minFileAge
        self.logger = logger
        self.runID = run
        self.audit = AuditLog(spool: spool)
    }

    /// A claimed file and what became of it.
    struct WorkItem {
        var name: String
        var recovered: Bool
        var conversion: FileConversion
        /// Payloads to place; those a crashed run already handed off are left out.
        var payloads: [Payload] = []
        var replacing = Set<String>()
    }

    public func run() throws(LedgerDropError) -> ConvertSummary {
        if options.dryRun { return try dryRun() }
        try spool.prepare()
        let claims = ClaimArea(spool: spool, stage: .convert)
        try claims.open()
        let handOff = try HandOff(spool: spool)
        defer {
            claims.close()
            handOff.close()
        }
        let recovered = try claims.recoverStale(now: Timestamp.now())
        keepClaimed = Set(recovered)
        do throws(LedgerDropError) {
            try convertAll(recovered: recovered, claims: claims, handOff: handOff)
        } catch {
            // A systemic stop (a full disk, a read-only folder) leaves the inbox as it was: what
            // was claimed and not handed off goes back; the temp files go with the hand-off.
            for name in FileSystem.list(claims.directory) where !keepClaimed.contains(name) {
                try? FileSystem.moveNoReplace(claims.path(name), spool.path(.inbox, name))
            }
            throw error
        }
        let t = summary.timings
        logger.debug("convert timings: reading and converting \(t.converting / 1_000_000) ms, duplicate checks \(t.checkingDuplicates / 1_000_000) ms, durable hand-off \(t.handingOff / 1_000_000) ms")
        return summary
    }

    private func convertAll(recovered: [String], claims: ClaimArea, handOff: HandOff) throws(LedgerDropError) {
        if !recovered.isEmpty {
            logger.notice("recovering \(recovered.count) claim(s) left by a run that stopped")
            for chunk in recovered.chunks(of: options.batchSize) {
                try process(Array(chunk), recovered: true, claims: claims, handOff: handOff)
            }
        }
        while true {
            let (ready, waiting) = spool.readyFiles(in: .inbox, minimumAge: minimumAge, now: Timestamp.now(), complete: options.complete)
            summary.waiting = waiting
            var claimedAny = false
            for chunk in ready.chunks(of: options.batchSize) {
                if options.stop?.isRequested == true { break }
                var names: [String] = []
                for file in chunk where try claims.claim(file, from: .inbox) { names.append(file.name) }
                if names.isEmpty { continue }
                claimedAny = true
                try process(names, recovered: false, claims: claims, handOff: handOff)
            }
            if !claimedAny || options.stop?.isRequested == true { break }
        }
        try handOff.flush()
    }

    private func process(_ names: [String], recovered: Bool, claims: ClaimArea, handOff: HandOff) throws(LedgerDropError) {
        let converter = converter
        let renderer = renderer
        let paths = names.map { (claims.path($0), $0) }
        // Reading and converting is pure per file: both cores share a batch.
        let started = Timestamp.now()
        let conversions = paths.concurrentMap { path, name in
            FileConversion.convertFile(at: path, name: name, converter: converter, renderer: renderer)
        }
        var items = zip(names, conversions).map { WorkItem(name: $0, recovered: recovered, conversion: $1) }
        let converted = Timestamp.now()
        checkDuplicates(&items)
        let checked = Timestamp.now()
        try commit(items, claims: claims, handOff: handOff)
        summary.timings.converting += converted - started
        summary.timings.checkingDuplicates += checked - converted
        summary.timings.handingOff += Timestamp.now() - checked
    }

    /// Places payloads and error files durably, then moves the sources on (SPEC §2.1, §5.10).
    private func commit(_ items: [WorkItem], claims: ClaimArea, handOff: HandOff) throws(LedgerDropError) {
        Failpoint.hit("convert.claimed")
        let now = Timestamp.iso8601(Timestamp.now())
        var staged: [[HandOff.Staged]] = []
        for item in items {
            switch item.conversion.outcome {
            case .converted:
                var files: [HandOff.Staged] = []
                for payload in item.payloads { files.append(try handOff.stage(payload.bytes)) }
                staged.append(files)
            case .failed(let error):
                let errorFile = ErrorFile(stage: .convert, error: error, file: item.name, reportIDs: item.conversion.reportIDs, at: now)
                staged.append([try handOff.stage(errorFile.bytes)])
            }
        }
        try handOff.flush()
        Failpoint.hit("convert.staged")

        var items = items
        var failedNames: [String?] = Array(repeating: nil, count: items.count)
        for index in items.indices {
            if index == items.count / 2 { Failpoint.hit("convert.half-placed") }
            keepClaimed.insert(items[index].name)
            if case .converted = items[index].conversion.outcome {
                if let clash = try placePayloads(items[index], staged[index], handOff: handOff) {
                    // Another process handed off the same entry key in the meantime.
                    items[index].conversion.outcome = .failed(clash)
                    let errorFile = ErrorFile(stage: .convert, error: clash, file: items[index].name, reportIDs: items[index].conversion.reportIDs, at: now)
                    staged[index] = [try handOff.stage(errorFile.bytes)]
                }
            }
            if case .failed = items[index].conversion.outcome {
                let name = spool.freeName(in: .failed, for: items[index].name, companion: ErrorFile.suffix)
                do { try handOff.place(staged[index][0], at: spool.path(.failed, name + ErrorFile.suffix), replace: false) } catch {
                    throw LedgerDropError(.spoolUnavailable, "cannot write failed/\(name)\(ErrorFile.suffix): \(error)")
                }
                failedNames[index] = name
            }
        }
        try handOff.flush()
        Failpoint.hit("convert.placed")

        // The audit lines go first: after a crash here the rerun logs the recovered work again,
        // so the trail may repeat a line but never misses one.
        try audit.append(auditEvents(items, failedNames: failedNames, at: now))
        Failpoint.hit("convert.audited")

        for (index, item) in items.enumerated() {
            if index == items.count / 2 { Failpoint.hit("convert.half-archived") }
            switch item.conversion.outcome {
            case .converted(let payloads):
                _ = try spool.moveAvoidingCollision(claims.path(item.name), into: .archive, name: item.name)
                keepClaimed.remove(item.name)
                summary.files += 1
                summary.reports += item.conversion.reportCount
                summary.entries += payloads.count
                summary.written += item.payloads.map(\.fileName)
                logger.debug("converted \(item.name): \(payloads.map(\.fileName).joined(separator: ", "))")
            case .failed(let error):
                let placed = try spool.moveToFailed(claims.path(item.name), wanted: failedNames[index]!)
                keepClaimed.remove(item.name)
                summary.failedFiles += 1
                summary.failures[error.code, default: 0] += 1
                logger.warning("\(item.name) → failed/\(placed): \(error.code.rawValue): \(error.message)")
            }
        }
        Failpoint.hit("convert.archived")
    }

    /// `converted` per entry and `failed` per file, for one batch.
    private func auditEvents(_ items: [WorkItem], failedNames: [String?], at now: String) -> [AuditEvent] {
        var events: [AuditEvent] = []
        for (index, item) in items.enumerated() {
            switch item.conversion.outcome {
            case .converted(let payloads):
                for (payload, entry) in zip(payloads, item.conversion.entries) {
                    var event = AuditEvent(at: now, event: .converted, stage: .convert, run: runID)
                    event.reportID = entry.reportID
                    event.entryKey = entry.key.value
                    event.file = item.name
                    event.message = "outbox/\(payload.fileName): \(entry.lines.count) lines, \(Money(minorUnits: entry.debitTotal, currency: entry.currency))"
                        + (item.recovered ? " (recovered claim)" : "") + (item.replacing.contains(payload.fileName) ? " (replaced by --force)" : "")
                    events.append(event)
                }
            case .failed(let error):
                var event = AuditEvent(at: now, event: .failed, stage: .convert, run: runID)
                event.reportID = item.conversion.reportIDs.joined(separator: ",")
                event.file = item.name
                event.code = error.code
                event.message = "failed/\(failedNames[index] ?? item.name): \(error.message)"
                events.append(event)
            }
        }
        return events
    }

    /// Renames an item's payloads into `outbox/`. On a clash with a file that appeared since the
    /// duplicate check, the payloads already placed are taken back and the clash is returned.
    private func placePayloads(_ item: WorkItem, _ files: [HandOff.Staged], handOff: HandOff) throws(LedgerDropError) -> LedgerDropError? {
        var placed: [String] = []
        for (payload, file) in zip(item.payloads, files) {
            let destination = spool.path(.outbox, payload.fileName)
            do {
                try handOff.place(file, at: destination, replace: item.replacing.contains(payload.fileName))
                placed.append(destination)
            } catch .exists {
                // Undo this file's hand-off: the payloads just placed are this run's own copies.
                for path in placed { FileSystem.remove(path) }
                for rest in files { handOff.discard(rest) }
                return LedgerDropError(.duplicateReport, "entry \(payload.entryKey) was written to outbox/\(payload.fileName) by another run at the same time")
            } catch {
                throw LedgerDropError(.spoolUnavailable, "cannot write outbox/\(payload.fileName): \(error)")
            }
        }
        return nil
    }
}

/// What a convert run did, for the summary line and the exit code.
public struct ConvertSummary: Sendable, Equatable {
    public var files = 0
    public var reports = 0
    public var entries = 0
    public var failedFiles = 0
    public var failures: [ErrorCode: Int] = [:]
    /// Files left in the inbox because they are younger than `minFileAge`.
    public var waiting = 0
    /// The payloads this run placed in `outbox/`.
    public var written: [String] = []
    public var timings = Timings()

    /// Where the time of a run went, in nanoseconds (for `--log-level debug` and the benchmark).
    public struct Timings: Sendable, Equatable {
        public var converting: Int64 = 0
        public var checkingDuplicates: Int64 = 0
        public var handingOff: Int64 = 0
    }

    /// SPEC §11: 0 when everything went through, 1 when some files went to `failed/`.
    public var exitCode: Int32 { failedFiles > 0 ? 1 : 0 }
}

extension Array {
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { self[$0..<Swift.min($0 + Swift.max(1, size), count)] }
    }
}
