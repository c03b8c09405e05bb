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

    /// Hands the batch off through the one spool transaction (SPEC §2.1, §5.10), then counts it.
    private func commit(_ items: [WorkItem], claims: ClaimArea, handOff: HandOff) throws(LedgerDropError) {
        let transaction = decide(items, source: claims.path, at: Timestamp.iso8601(Timestamp.now()))
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
                summary.written += item.payloads.map(\.fileName)
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
    /// The payloads this run placed in `outbox/`.
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
