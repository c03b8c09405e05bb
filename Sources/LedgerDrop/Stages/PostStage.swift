import Logging

/// outbox → done | failed (SPEC §6): claims payloads, posts up to `x3.concurrency` at once, and
/// hands each one off with its receipt or error file. A systemic failure stops the run: what was
/// never sent goes back to `outbox/`, and what X3 may hold stays claimed, to be looked up by the
/// next run — nothing X3 accepted ever returns to `outbox/` unmarked.
public final class PostStage {
    public struct Options: Sendable {
        public var minimumAge: Duration? = nil
        public var dryRun = false
        /// Called after each payload is decided with (decided, total), for a progress bar.
        public var progress: (@Sendable (Int, Int) -> Void)? = nil
        /// Checked before each claim: once set, the posts in flight finish and the rest stays in outbox/.
        public var stop: StopSignal? = nil
        /// Payloads known to be complete whatever their age (`run`: what convert just wrote).
        public var complete: Set<String> = []
        public init(minimumAge: Duration? = nil, dryRun: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil, stop: StopSignal? = nil) {
            self.stop = stop
            self.minimumAge = minimumAge
            self.dryRun = dryRun
            self.progress = progress
        }
    }

    let spool: Spool
    let x3: Configuration.X3
    /// `companies:`, to name the company of a payload by its site in receipts and audit lines.
    let companies: [Configuration.Company]
    /// What each receipt says about where its entry went.
    let destination: Receipt.Destination
    let attempt: PostAttempt
    let minimumAge: Duration
    let dryRun: Bool
    let progress: (@Sendable (Int, Int) -> Void)?
    let stop: StopSignal?
    let complete: Set<String>
    let logger: Logger
    let runID: String
    let audit: AuditLog
    let marks: LookupMarks
    let pendingNumbers: PendingNumbers
    var summary = PostSummary()
    /// Claims that must not go back to `outbox/` when the run stops: X3 may hold them.
    var keepClaimed = Set<String>()

    /// Space set aside per payload before it is sent, for its receipt or error file.
    static let reservedBytes = 16 << 10

    public convenience init(spool: Spool, configuration: Configuration, transport: any X3Transport, options: Options = Options(), logger: Logger, run: String = AuditLog.newRunID()) {
        self.init(spool: spool, configuration: configuration,
                  attempt: PostAttempt(transport: transport, retries: configuration.x3.retries, backoff: Backoff(base: configuration.x3.backoff), stop: options.stop),
                  options: options, logger: logger, run: run)
    }

    init(spool: Spool, configuration: Configuration, attempt: PostAttempt, options: Options, logger: Logger, run: String) {
        self.spool = spool
        self.x3 = configuration.x3
        self.companies = configuration.companies
        self.destination = Receipt.Destination(api: configuration.x3.api.rawValue, serverURL: configuration.x3.url, endpoint: configuration.x3.endpoint,
                                               handsOff: configuration.x3.api == .file)
        self.attempt = attempt
        self.minimumAge = options.minimumAge ?? configuration.minFileAge
        self.dryRun = options.dryRun
        self.progress = options.progress
        self.stop = options.stop
        self.complete = options.complete
        self.logger = logger
        self.runID = run
        self.audit = AuditLog(spool: spool)
        self.marks = LookupMarks(spool: spool)
        self.pendingNumbers = PendingNumbers(spool: spool)
    }

    /// A claimed payload, ready to post, with the space for its receipt set aside.
    struct Job: Sendable {
        var name: String
        var payload: PayloadFile
        var lookupFirst: Bool
        /// How long a dead run's request for it may still be in flight (`settling(_:now:)`).
        var settling: Duration
        var reservation: String
    }

    public func run() async throws(LedgerDropError) -> PostSummary {
        if dryRun { return dryRunSummary() }
        try spool.prepare()
        do { try FileSystem.makeDirectory(pendingNumbers.folder) } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot create \(pendingNumbers.folder): \(error)")
        }
        let claims = ClaimArea(spool: spool, stage: .post)
        try claims.open()
        let handOff = try HandOff(spool: spool)
        defer {
            claims.close()
            handOff.close()
        }
        // Claims of runs that stopped (another process, or an earlier pass of this one) may be
        // in X3 already: each is looked up before anything is sent.
        let recovered = try claims.recoverStale(now: Timestamp.now())
        if !recovered.isEmpty { logger.notice("recovering \(recovered.count) payload(s) claimed by a run that stopped; each is looked up in X3 first") }
        // A recovered claim whose last request went out less than x3.timeout ago may still be on
        // its way through X3: it is taken last, and looked up once that request has settled.
        let started = Timestamp.now()
        var inFlight = recovered.filter { settling(claims.path($0), now: started) > .zero }
        if !inFlight.isEmpty {
            logger.notice("\(inFlight.count) of them may still be in flight at X3 (sent less than x3.timeout ago): looked up after the rest, once X3 has had x3.timeout to answer")
        }
        // Recovered claims first; the others are claimed one by one as a slot frees up, so a
        // crash leaves few claims behind and a second poster finds work too. A large outbox is
        // taken a listing at a time (`Spool.readyFiles`).
        var candidates: [(file: Spool.ListedFile?, name: String)] = []
        var moreBeyondListing = false
        func list() -> Int {
            let (ready, waiting, total) = spool.readyFiles(in: .outbox, minimumAge: minimumAge, now: Timestamp.now(), complete: complete, limit: Spool.listingLimit)
            summary.waiting = waiting
            candidates = ready.reversed().map { ($0, $0.name) }
            moreBeyondListing = total > ready.count
            return total
        }
        let total = list() + recovered.count
        candidates += recovered.filter { !inFlight.contains($0) }.reversed().map { (nil, $0) }
        inFlight.reverse()
        func nextCandidate() -> (file: Spool.ListedFile?, name: String)? {
            if let candidate = candidates.popLast() { return candidate }
            if moreBeyondListing {
                _ = list()
                if let candidate = candidates.popLast() { return candidate }
            }
            return inFlight.popLast().map { (nil, $0) }
        }
        keepClaimed = Set(recovered)
        var systemic: LedgerDropError?
        let attempt = attempt
        var decided = 0
        var reservations: [String: HandOff.Reservation] = [:]
        await withTaskGroup(of: (Job, PostAttempt.Result).self) { group in
            func launch() {
                while stop?.isRequested != true, let candidate = nextCandidate() {
                    do throws(LedgerDropError) {
                        if let file = candidate.file, try !claims.claim(file, from: .outbox) { continue }
                        guard let (payload, lookupFirst) = try prepare(candidate.name, recovered: candidate.file == nil, claims: claims, handOff: handOff) else { continue }
                        // Before anything is sent: the space to record X3's answer.
                        let reservation = try handOff.reserve(Self.reservedBytes)
                        reservations[candidate.name] = reservation
                        let claimed = claims.path(candidate.name)
                        let job = Job(name: candidate.name, payload: payload, lookupFirst: lookupFirst,
                                      settling: candidate.file == nil ? settling(claimed, now: Timestamp.now()) : .zero, reservation: reservation.path)
                        group.addTask {
                            // The instant each request goes out, in the claim itself: should this
                            // run die waiting for the answer, the next one knows how long to wait.
                            (job, await attempt.run(job.payload, lookupFirst: job.lookupFirst, settling: job.settling,
                                                    sending: { try? FileSystem.setModified(claimed, to: Timestamp.now()) }))
                        }
                        return
                    } catch {
                        systemic = systemic ?? error
                        return
                    }
                }
            }
            for _ in 0..<x3.concurrency { launch() }
            while let (job, result) = await group.next() {
                let reservation = reservations.removeValue(forKey: job.name)!
                do throws(LedgerDropError) {
                    try finish(job, result, reservation: reservation, claims: claims, handOff: handOff)
                } catch {
                    systemic = systemic ?? error
                }
                if case .systemic(let error, _) = result.decision { systemic = systemic ?? error }
                decided += 1
                progress?(decided, total)
                if systemic == nil { launch() }
            }
        }
        // SPEC §2.6: what this run took from outbox/ and never sent goes back; what X3 may hold
        // stays claimed, and the next run (or the next pass of a watch) looks it up first.
        for name in FileSystem.list(claims.directory) where !keepClaimed.contains(name) {
            try? FileSystem.moveNoReplace(claims.path(name), spool.path(.outbox, name))
        }
        if let systemic {
            try? handOff.flush()
            throw systemic
        }
        try await fillPendingNumbers(handOff: handOff)
        try handOff.flush()
        return summary
    }

    /// Reads a claimed payload; what cannot be posted goes to `failed/` now, and a payload whose
    /// entry already has a receipt is never posted again (SPEC §6.5). Returns the payload and
    /// whether X3 may already hold it.
    private func prepare(_ name: String, recovered: Bool, claims: ClaimArea, handOff: HandOff) throws(LedgerDropError) -> (PayloadFile, Bool)? {
        let payload: PayloadFile
        do {
            let bytes = try FileSystem.read(claims.path(name), limit: ReportFile.maxFileBytes)
            payload = try PayloadFile.read(fileName: name, bytes: bytes, x3: x3)
        } catch let error as LedgerDropError {
            try fail(name, Failure(error: error), claims: claims, handOff: handOff)
            return nil
        } catch {
            try fail(name, Failure(error: LedgerDropError(.unsupportedFile, "\(name) cannot be read: \(error)")), claims: claims, handOff: handOff)
            return nil
        }
        if FileSystem.exists(spool.path(.done, payload.entryKey + Receipt.suffix)) {
            let number = Receipt.entryNumber(in: spool, stem: payload.entryKey) ?? "?"
            if recovered {
                // The crashed run wrote the receipt but did not move the payload: finish its work,
                // and its audit line, which may be the one that was lost.
                var posted = event(.posted, payload, file: name, at: Timestamp.iso8601(Timestamp.now()))
                posted.x3EntryNumber = number
                posted.message = "receipt written by a run that stopped; recorded now"
                try SpoolTransaction(label: "post", items: [.init(events: [posted], moves: [.init(from: claims.path(name), directory: spool.path(.done), name: name)],
                                                                  removals: [marks.path(payload.entryKey)])]).commit(handOff, audit: audit)
                keepClaimed.remove(name)
                return nil
            }
            let error = LedgerDropError(.duplicateReport, "entry \(payload.entryKey) is already posted as X3 entry \(number) (done/\(payload.entryKey)\(Receipt.suffix)); it is never posted twice")
            try fail(name, Failure(error: error, payload: payload), claims: claims, handOff: handOff)
            return nil
        }
        // Replayed, or moved back by hand beside its error file: X3 may hold it, whatever that said.
        let lookupFirst = recovered || marks.isMarked(payload.entryKey) || FileSystem.exists(spool.path(.failed, name + ErrorFile.suffix))
        return (payload, lookupFirst)
    }
}

/// What a post run did.
public struct PostSummary: Sendable, Equatable {
    public var posted = 0
    public var recovered = 0
    /// Entries whose X3 number was found after their hand-off (`file`) or acceptance (`import`).
    public var numbered = 0
    public var rejected = 0
    public var retried = 0
    public var failures: [ErrorCode: Int] = [:]
    /// Payloads left in `outbox/` because they are younger than `minFileAge`.
    public var waiting = 0
    /// A dry run: what would be sent, the credentials redacted (the CLI prints it).
    public var plan: [String] = []

    public var failed: Int { failures.values.reduce(0, +) }
    /// SPEC §11: 0 when everything went through, 1 when some payloads went to `failed/`.
    public var exitCode: Int32 { failed > 0 ? 1 : 0 }
}

extension PostStage {
    /// How long a request for the claimed payload at `path` may still be in flight at X3: until
    /// x3.timeout after it went out (the claim's modification time, set as each post is sent;
    /// a payload never sent has its convert time). X3 may still be writing an entry whose poster
    /// died waiting; a lookup before then could miss it. The same bound decides when a live run
    /// gives up on an answer and looks up. None on the file route: a hand-off is one rename.
    func settling(_ path: String, now: Int64) -> Duration {
        guard !destination.handsOff, let status = FileSystem.status(path) else { return .zero }
        return Self.settling(lastSent: status.modified, now: now, timeout: x3.timeout)
    }

    /// What is left of `timeout` after `lastSent` (never more than `timeout`, whatever the clock
    /// did in between).
    static func settling(lastSent: Int64, now: Int64, timeout: Duration) -> Duration {
        let left = min(lastSent + timeout.nanoseconds - now, timeout.nanoseconds)
        return left > 0 ? .nanoseconds(left) : .zero
    }

    /// The company posting to `site`; empty without `companies:` (or for a site none has).
    func companyName(site: String) -> String {
        companies.first { $0.site == site }?.name ?? ""
    }
}

extension Receipt {
    /// The receipt of a payload X3 holds as `entry`.
    init(payload: PayloadFile, entry: X3Entry, destination: Destination, postedAt: String, attempts: Int, recovered: Bool, diagnoses: [String], company: String = "") {
        let posted = Posted(entryKey: payload.entryKey, reportID: payload.reference, entryType: entry.entryType.isEmpty ? payload.entryType : entry.entryType,
                            entryNumber: entry.entryNumber, payloadBytes: payload.bytes, lineCount: payload.lineCount, total: payload.total, currency: payload.currency,
                            moved: payload.movedFrom.map { MovedDate(from: $0.description, to: payload.accountingDate.description) }, company: company, site: payload.site)
        self.init(posted, destination: destination, postedAt: postedAt, attempts: attempts, recovered: recovered, diagnoses: diagnoses)
    }
}
