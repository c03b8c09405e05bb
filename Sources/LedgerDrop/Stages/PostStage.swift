import Logging

/// outbox → done | failed (SPEC §6): claims payloads, posts up to `x3.concurrency` at once, and
/// hands each one off with its receipt or error file. A systemic failure stops the run and puts
/// every payload not yet decided back into `outbox/`.
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
    let attempt: PostAttempt
    let minimumAge: Duration
    let dryRun: Bool
    let progress: (@Sendable (Int, Int) -> Void)?
    let stop: StopSignal?
    let complete: Set<String>
    let logger: Logger
    let runID: String
    let audit: AuditLog
    var summary = PostSummary()

    public init(spool: Spool, configuration: Configuration, transport: any X3Transport, options: Options = Options(), logger: Logger, run: String = AuditLog.newRunID()) {
        self.spool = spool
        self.x3 = configuration.x3
        self.attempt = PostAttempt(transport: transport, retries: configuration.x3.retries, backoff: configuration.x3.backoff)
        self.minimumAge = options.minimumAge ?? configuration.minFileAge
        self.dryRun = options.dryRun
        self.progress = options.progress
        self.stop = options.stop
        self.complete = options.complete
        self.logger = logger
        self.runID = run
        self.audit = AuditLog(spool: spool)
    }

    /// A claimed payload, ready to post.
    struct Job: Sendable {
        var name: String
        var payload: PayloadFile
        var recovered: Bool
    }

    public func run() async throws(LedgerDropError) -> PostSummary {
        if dryRun { return dryRunSummary() }
        try spool.prepare()
        let claims = ClaimArea(spool: spool, stage: .post)
        try claims.open()
        let handOff = try HandOff(spool: spool)
        defer {
            claims.close()
            handOff.close()
        }
        let recovered = try claims.recoverStale(now: Timestamp.now())
        if !recovered.isEmpty { logger.notice("recovering \(recovered.count) payload(s) claimed by a run that stopped; each is looked up in X3 first") }
        let (ready, waiting) = spool.readyFiles(in: .outbox, minimumAge: minimumAge, now: Timestamp.now(), complete: complete)
        summary.waiting = waiting
        // Recovered claims first; the others are claimed one by one as a slot frees up, so a
        // crash leaves few claims behind and a second poster finds work too.
        var candidates: [(file: Spool.ListedFile?, name: String)] = recovered.map { (nil, $0) } + ready.map { ($0, $0.name) }
        candidates.reverse()
        var systemic: LedgerDropError?
        let attempt = attempt
        let total = candidates.count
        var decided = 0
        await withTaskGroup(of: (Job, PostAttempt.Result).self) { group in
            func launch() {
                while stop?.isRequested != true, let candidate = candidates.popLast() {
                    do {
                        if let file = candidate.file, try !claims.claim(file, from: .outbox) { continue }
                        guard let job = try prepare(candidate.name, recovered: candidate.file == nil, claims: claims, handOff: handOff) else { continue }
                        group.addTask { (job, await attempt.run(job.payload, recovered: job.recovered)) }
                        return
                    } catch {
                        systemic = systemic ?? error
                        return
                    }
                }
            }
            for _ in 0..<x3.concurrency { launch() }
            while let (job, result) = await group.next() {
                do {
                    try finish(job, result, claims: claims, handOff: handOff)
                } catch {
                    systemic = systemic ?? (error as? LedgerDropError) ?? LedgerDropError(.spoolUnavailable, "\(error)")
                }
                if case .systemic(let error) = result.decision { systemic = systemic ?? error }
                decided += 1
                progress?(decided, total)
                if systemic == nil { launch() }
            }
        }
        if let systemic {
            // SPEC §2.6: nothing decided is moved; what this run took from outbox/ goes back.
            // Claims taken over from a dead run stay claimed: the next run takes them over again
            // and looks them up first, as they may already be in X3.
            let recoveredNames = Set(recovered)
            for name in FileSystem.list(claims.directory) where !recoveredNames.contains(name) {
                try? FileSystem.moveNoReplace(claims.path(name), spool.path(.outbox, name))
            }
            try handOff.flush()
            throw systemic
        }
        try handOff.flush()
        return summary
    }

    /// Reads a claimed payload; what cannot be posted goes to `failed/` now, and a payload whose
    /// entry already has a receipt is never posted again (SPEC §6.5).
    private func prepare(_ name: String, recovered: Bool, claims: ClaimArea, handOff: HandOff) throws(LedgerDropError) -> Job? {
        let bytes: [UInt8]
        let payload: PayloadFile
        do {
            bytes = try FileSystem.read(claims.path(name), limit: ReportFile.maxFileBytes)
            payload = try PayloadFile.read(fileName: name, bytes: bytes)
        } catch let error as LedgerDropError {
            try fail(name, error, payload: nil, attempts: 0, retryable: false, reply: nil, firstFailure: nil, claims: claims, handOff: handOff)
            return nil
        } catch {
            try fail(name, LedgerDropError(.unsupportedFile, "\(name) cannot be read: \(error)"), payload: nil, attempts: 0, retryable: false, reply: nil, firstFailure: nil, claims: claims, handOff: handOff)
            return nil
        }
        if FileSystem.exists(spool.path(.done, payload.entryKey + Receipt.suffix)) {
            let number = Receipt.entryNumber(in: spool, stem: payload.entryKey) ?? "?"
            if recovered {
                // The crashed run wrote the receipt but did not move the payload: finish its move.
                _ = try spool.moveAvoidingCollision(claims.path(name), into: .done, name: name)
                return nil
            }
            try fail(name, LedgerDropError(.duplicateReport, "entry \(payload.entryKey) is already posted as X3 entry \(number) (done/\(payload.entryKey)\(Receipt.suffix)); it is never posted twice"),
                     payload: payload, attempts: 0, retryable: false, reply: nil, firstFailure: nil, claims: claims, handOff: handOff)
            return nil
        }
        return Job(name: name, payload: payload, recovered: recovered)
    }
}

extension PostStage {
    /// `post --dry-run`: validates every ready payload and prints the request it would send, the
    /// credentials redacted. Nothing is claimed, moved or sent.
    func dryRunSummary() -> PostSummary {
        var summary = PostSummary()
        let (ready, waiting) = spool.readyFiles(in: .outbox, minimumAge: minimumAge, now: Timestamp.now())
        summary.waiting = waiting
        for file in ready {
            do throws(LedgerDropError) {
                let bytes: [UInt8]
                do { bytes = try FileSystem.read(spool.path(.outbox, file.name), limit: ReportFile.maxFileBytes) } catch {
                    throw LedgerDropError(.unsupportedFile, "\(file.name) cannot be read: \(error)")
                }
                let payload = try PayloadFile.read(fileName: file.name, bytes: bytes)
                if FileSystem.exists(spool.path(.done, payload.entryKey + Receipt.suffix)) {
                    throw LedgerDropError(.duplicateReport, "\(payload.entryKey) already has a receipt in done/; it would not be posted")
                }
                print("=== \(file.name): \(payload.lineCount) lines, \(payload.total) \(payload.currency), \(payload.accountingDate)")
                print(X3Connection.describe(payload, x3: x3))
                summary.posted += 1
            } catch {
                print("=== \(file.name) would go to failed/: \(error.code.rawValue): \(error.message)")
                summary.failures[error.code, default: 0] += 1
            }
        }
        return summary
    }
}

/// What a post run did.
public struct PostSummary: Sendable, Equatable {
    public var posted = 0
    public var recovered = 0
    public var rejected = 0
    public var retried = 0
    public var failures: [ErrorCode: Int] = [:]
    /// Payloads left in `outbox/` because they are younger than `minFileAge`.
    public var waiting = 0

    public var failed: Int { failures.values.reduce(0, +) }
    /// SPEC §11: 0 when everything went through, 1 when some payloads went to `failed/`.
    public var exitCode: Int32 { failed > 0 ? 1 : 0 }
}
