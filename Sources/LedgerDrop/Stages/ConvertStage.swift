import CFileSystem
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
        /// Collect the names of the payloads written (`run` hands them to post); off by default,
        /// so that a large inbox costs no memory per file.
        public var collectWritten = false
        /// Checked between batches: once set, the batch in hand is finished and the rest waits.
        public var stop: StopSignal? = nil
        /// The open periods read from X3 (`OpenPeriodSource`); nil: `x3.openPeriods`, if any.
        public var openPeriods: OpenPeriods? = nil

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
        self.converter = Converter(configuration: configuration, openPeriods: options.openPeriods)
        self.renderer = PayloadRenderer(configuration: configuration)
        self.options = options
        self.minimumAge = options.minimumAge ?? configuration.minFileAge
        self.logger = logger
        self.runID = run
        self.audit = AuditLog(spool: spool)
    }

    /// A claimed file and what became of it.
    struct WorkItem: Sendable {
        var name: String
        var recovered: Bool
        var conversion: FileConversion
        /// Payloads to place; those a crashed run already handed off are left out.
        var payloads: [Payload] = []
        var replacing = Set<String>()
    }

    /// A batch, read, converted and checked for duplicates: ready to hand off.
    struct PreparedBatch: Sendable {
        var items: [WorkItem]
        /// The converted items' part of the transaction, made ahead.
        var decided: [SpoolTransaction.Item?] = []
        var converting: Int64
        var checkingDuplicates: Int64
        var claimedFromInbox = false
        /// The spool refused a claim (a systemic stop).
        var claimFailure: LedgerDropError? = nil
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
            if !recovered.isEmpty { logger.notice("recovering \(recovered.count) claim(s) left by a run that stopped") }
            var batches = BatchSource(recovered: recovered.chunks(of: options.batchSize).map(Array.init))
            try convertAll(&batches, claims: claims, handOff: handOff)
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

    /// The batches of a run: the recovered claims first, then the inbox, listed again while the
    /// last listing gave work. The first batch is small, so that the hand-off starts early.
    struct BatchSource {
        enum Batch: Sendable {
            case recovered([String])
            /// Listed in the inbox, to be claimed.
            case listed([Spool.ListedFile])
        }

        var recovered: [[String]]
        var listed: [Spool.ListedFile] = []
        var claimedSinceListing = true
        /// The last listing kept only the oldest files of a larger inbox.
        var moreBeyondListing = false
        /// The size of the batch handed out last; 0 before the first.
        var nextSize = 0

        mutating func next(_ stage: ConvertStage) -> Batch? {
            if !recovered.isEmpty { return .recovered(recovered.removeFirst()) }
            guard stage.options.stop?.isRequested != true else { return nil }
            if listed.isEmpty {
                guard claimedSinceListing || moreBeyondListing else { return nil }
                let (ready, waiting, total) = stage.spool.readyFiles(in: .inbox, minimumAge: stage.minimumAge, now: Timestamp.now(),
                                                                      complete: stage.options.complete, limit: Spool.listingLimit)
                stage.summary.waiting = waiting
                listed = ready.reversed()
                claimedSinceListing = false
                moreBeyondListing = total > ready.count
                if listed.isEmpty { return nil }
            }
            // From 1/8 of the batch size, each batch half as large again as the one before, up to
            // the batch size: the disk gets work early, and each batch is read in about the
            // time the one before takes to hand off.
            nextSize = nextSize == 0 ? max(1, stage.options.batchSize / 8) : min(stage.options.batchSize, nextSize + (nextSize + 1) / 2)
            var files: [Spool.ListedFile] = []
            while files.count < nextSize, let file = listed.popLast() { files.append(file) }
            return .listed(files)
        }
    }

    /// Claims, reads and converts the next batch while the current one is handed off: the CPU
    /// work and the disk's wait overlap. The duplicate check of a batch knows the payloads of the
    /// batch being handed off beside it.
    private func convertAll(_ batches: inout BatchSource, claims: ClaimArea, handOff: HandOff) throws(LedgerDropError) {
        guard let first = batches.next(self) else {
            try handOff.flush()
            return
        }
        var work = prepare(first, claims: claims, inFlight: [:])
        while true {
            let prepared = work.wait()
            if let error = prepared.claimFailure { throw error }
            if prepared.claimedFromInbox { batches.claimedSinceListing = true }
            summary.timings.converting += prepared.converting
            summary.timings.checkingDuplicates += prepared.checkingDuplicates
            let next = batches.next(self)
            var inFlight: [String: String] = [:]
            for item in prepared.items { for payload in item.payloads { inFlight[payload.fileName] = item.name } }
            let nextWork = next.map { prepare($0, claims: claims, inFlight: inFlight) }
            let started = Timestamp.now()
            do {
                if !prepared.items.isEmpty { try commit(prepared, claims: claims, handOff: handOff) }
            } catch {
                // The batch being read beside it is claimed: it goes back with the others.
                _ = nextWork?.wait()
                throw error
            }
            summary.timings.handingOff += Timestamp.now() - started
            // The batch is gone: the allocator gives its memory back (each converting thread
            // has its own heap, which otherwise keeps what the largest batch needed).
            ledgerdrop_release_free_memory()
            guard let nextWork else { break }
            work = nextWork
        }
        try handOff.flush()
    }

    /// Starts claiming, reading, converting, checking and deciding a batch on another thread.
    /// Each step runs per file on every core (the claims and lookups are system calls, the
    /// conversion is CPU): the hand-off of the batch before has the longest part of the run.
    private func prepare(_ batch: BatchSource.Batch, claims: ClaimArea, inFlight: [String: String]) -> BackgroundResult<PreparedBatch> {
        let converter = converter, renderer = renderer, check = duplicates, decision = decision
        return BackgroundResult {
            var names: [String] = []
            var recovered = false
            switch batch {
            case .recovered(let claimed):
                names = claimed
                recovered = true
            case .listed(let files):
                // Claims are renames in two folders: they run side by side like the reading.
                let claimed = files.concurrentMap { file in Result { () throws(LedgerDropError) in try claims.claim(file, from: .inbox) } }
                for (file, result) in zip(files, claimed) {
                    switch result {
                    case .success(true): names.append(file.name)
                    case .success(false): break
                    case .failure(let error): return PreparedBatch(items: [], converting: 0, checkingDuplicates: 0, claimFailure: error)
                    }
                }
            }
            // Reading and converting is pure per file.
            let started = Timestamp.now()
            let paths = names.map { (claims.path($0), $0) }
            let convert: @Sendable ((String, String)) -> FileConversion = { file in
                FileConversion.convertFile(at: file.0, name: file.1, converter: converter, renderer: renderer)
            }
            let conversions = paths.concurrentMap(convert)
            var items = zip(names, conversions).map { WorkItem(name: $0, recovered: recovered, conversion: $1) }
            let converted = Timestamp.now()
            check.check(&items, inFlight: inFlight)
            let checked = Timestamp.now()
            let now = Timestamp.iso8601(checked)
            let decided = items.concurrentMap { item -> SpoolTransaction.Item? in
                guard case .converted(let payloads) = item.conversion.outcome else { return nil }
                return decision.converted(item, payloads, source: claims.path, at: now)
            }
            // Decided: the journal entries are no longer needed, and two batches are in memory.
            for index in items.indices where decided[index] != nil { items[index].conversion.entries = [] }
            return PreparedBatch(items: items, decided: decided, converting: converted - started + Timestamp.now() - checked,
                                 checkingDuplicates: checked - converted, claimedFromInbox: !recovered && !names.isEmpty)
        }
    }

    var decision: ConvertDecision { ConvertDecision(spool: spool, runID: runID) }

    var duplicates: DuplicateCheck { DuplicateCheck(spool: spool, force: options.force, logger: logger) }

    /// Hands the batch off through the one spool transaction (SPEC §2.1, §5.10), then counts it.
    private func commit(_ prepared: PreparedBatch, claims: ClaimArea, handOff: HandOff) throws(LedgerDropError) {
        let items = prepared.items
        let transaction = decision.transaction(items, decided: prepared.decided, source: claims.path, at: Timestamp.iso8601(Timestamp.now()))
        // From here on any item's payloads may be placed: a stop keeps those claimed.
        var progress = SpoolTransaction.Progress()
        do {
            try transaction.commit(handOff, audit: audit, progress: &progress)
        } catch {
            for index in progress.placing.subtracting(progress.moved) { keepClaimed.insert(items[index].name) }
            throw error
        }
        for (index, item) in items.enumerated() {
            let placed = progress.movedNames[index]?.first ?? item.name
            if progress.clashed.contains(index) {
                summary.failedFiles += 1
                summary.failures[.duplicateReport, default: 0] += 1
                logger.warning("\(item.name) → failed/\(placed): \(ErrorCode.duplicateReport.rawValue): an entry of it was written to outbox/ by another run at the same time")
                continue
            }
            switch item.conversion.outcome {
            case .converted(let payloads):
                summary.files += 1
                summary.reports += item.conversion.reportCount
                summary.entries += payloads.count
                if options.collectWritten { summary.written += item.payloads.map(\.fileName) }
                logger.debug("converted \(item.name): \(payloads.map(\.fileName).joined(separator: ", "))")
            case .failed(let error):
                summary.failedFiles += 1
                summary.failures[error.code, default: 0] += 1
                logger.warning("\(item.name) → failed/\(placed): \(error.code.rawValue): \(error.message)")
            }
        }
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
    /// The payloads this run placed in `outbox/` (with `Options.collectWritten`).
    public var written: [String] = []
    /// A dry run: what the run would do, one line per file (the CLI prints it).
    public var plan: [String] = []
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
