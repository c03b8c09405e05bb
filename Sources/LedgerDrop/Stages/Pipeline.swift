import Logging

/// `ledgerdrop run` (SPEC §11): fetch, convert and post once. Each stage runs even when the one
/// before it failed, since the spool may hold work of its own (reports dropped in by hand,
/// payloads from an earlier run); the exit code is the worst of the three.
public struct Pipeline: Sendable, CustomStringConvertible {
    public let spool: Spool
    public let configuration: Configuration
    /// Where credentials come from; it never prints itself.
    public let environment: ProcessEnvironment
    public let request: FetchWindow.Request
    public let fetch: Bool
    /// Told how long each X3 request took (`--metrics-file`).
    public var observer: (any X3Observer)? = nil

    public init(spool: Spool, configuration: Configuration, environment: [String: String], request: FetchWindow.Request = .init(), fetch: Bool = true) {
        self.spool = spool
        self.configuration = configuration
        self.environment = ProcessEnvironment(environment)
        self.request = request
        self.fetch = fetch
    }

    /// What logs may say of a pipeline: its spool, never the environment it holds.
    public var description: String { "ledgerdrop pipeline on \(spool.root)" }

    /// What one pass did: a summary or the error that stopped it, per stage.
    public struct Outcome: Sendable {
        public var fetch: Result<FetchSummary, LedgerDropError>?
        public var convert: Result<ConvertSummary, LedgerDropError>?
        public var post: Result<PostSummary, LedgerDropError>?

        public var exitCode: Int32 {
            max(Self.code(fetch, \.exitCode), Self.code(convert, \.exitCode), Self.code(post, \.exitCode))
        }

        /// One line per stage, for stdout.
        public var lines: [String] {
            var lines: [String] = []
            if let fetch { lines.append(Self.line("fetch", fetch, \.line)) }
            lines.append(Self.line("convert", convert) { "converted \($0.files) file(s), \($0.entries) entr\($0.entries == 1 ? "y" : "ies"); \($0.failedFiles) failed" })
            lines.append(Self.line("post", post) { "posted \($0.posted), found already posted \($0.recovered), failed \($0.failed)" + ($0.numbered > 0 ? ", numbered \($0.numbered)" : "") })
            return lines
        }

        private static func code<T>(_ result: Result<T, LedgerDropError>?, _ exitCode: (T) -> Int32) -> Int32 {
            switch result {
            case .success(let summary)?: exitCode(summary)
            case .failure(let error)?: error.code.exitCode
            case nil: 0
            }
        }

        private static func line<T>(_ stage: String, _ result: Result<T, LedgerDropError>?, _ text: (T) -> String) -> String {
            switch result {
            case .success(let summary)?: "\(stage): \(text(summary))"
            case .failure(let error)?: "\(stage): error \(error.code.rawValue): \(error.message)"
            case nil: "\(stage): not run (stopped)"
            }
        }
    }

    /// One pass, recorded in `.ledgerdrop/last-pass.json` (`PassRecord`) when it ends.
    public func runOnce(logger: Logger, stop: StopSignal? = nil) async -> Outcome {
        let outcome = await pass(logger: logger, stop: stop)
        do { try PassRecord.record(spool, exitCode: outcome.exitCode) } catch {
            logger.warning("the pass is not recorded in .ledgerdrop/last-pass.json: \(error.message)")
        }
        return outcome
    }

    private func pass(logger: Logger, stop: StopSignal?) async -> Outcome {
        let run = AuditLog.newRunID()
        var outcome = Outcome()
        var fetched: [String] = []
        if fetch {
            outcome.fetch = await fetchOnce(logger: logger, run: run, stop: stop)
            if case .success(let summary)? = outcome.fetch { fetched = summary.placed }
            if case .failure(let error)? = outcome.fetch { logger.error("fetch: \(error.code.rawValue): \(error.message)") }
        }
        if stop?.isRequested == true { return outcome }
        var convertOptions = ConvertStage.Options(complete: Set(fetched), stop: stop)
        convertOptions.collectWritten = true
        do throws(LedgerDropError) {
            convertOptions.openPeriods = try await OpenPeriodSource.resolve(configuration, environment: environment.values)
            outcome.convert = .success(try ConvertStage(spool: spool, configuration: configuration, options: convertOptions, logger: logger, run: run).run())
        } catch {
            outcome.convert = .failure(error)
            logger.error("convert: \(error.code.rawValue): \(error.message)")
        }
        if stop?.isRequested == true { return outcome }
        var converted: Set<String> = []
        if case .success(let summary)? = outcome.convert { converted = Set(summary.written) }
        outcome.post = await runPost(logger: logger, run: run, stop: stop, complete: converted)
        if case .failure(let error)? = outcome.post { logger.error("post: \(error.code.rawValue): \(error.message)") }
        return outcome
    }

    /// The fetch stage alone (`ledgerdrop fetch`), with its own Expensify client.
    public func fetchOnce(logger: Logger, run: String = AuditLog.newRunID(), stop: StopSignal? = nil, dryRun: Bool = false) async -> Result<FetchSummary, LedgerDropError> {
        do throws(LedgerDropError) {
            // First, so that the request times are shared through .ledgerdrop/ from the first
            // request (a dry run creates nothing).
            if !dryRun { try spool.prepare() }
            let client = try ExpensifyClient(configuration: configuration, spool: spool, environment: environment.values, logger: logger, stop: stop)
            do throws(LedgerDropError) {
                let summary = try await FetchStage(spool: spool, configuration: configuration, service: client, request: request, logger: logger,
                                                   run: run, stop: stop, dryRun: dryRun).run()
                await client.shutdown()
                return .success(summary)
            } catch {
                await client.shutdown()
                throw error
            }
        } catch {
            // A stop cuts a rate-limit wait or a download poll short: that is not Expensify's
            // failure, and nothing was written.
            if stop?.isRequested == true { return .success(.stoppedBySignal) }
            return .failure(error)
        }
    }

    private func runPost(logger: Logger, run: String, stop: StopSignal?, complete: Set<String>) async -> Result<PostSummary, LedgerDropError> {
        do throws(LedgerDropError) {
            let connection = try X3Connection(configuration: configuration, credentials: .resolve(environment: environment.values), observer: observer)
            // What convert wrote a moment ago is complete (atomic hand-off): no need to wait minFileAge.
            var options = PostStage.Options(stop: stop)
            options.complete = complete
            do throws(LedgerDropError) {
                let summary = try await PostStage(spool: spool, configuration: configuration, transport: connection.transport, options: options, logger: logger, run: run).run()
                await connection.shutdown()
                return .success(summary)
            } catch {
                await connection.shutdown()
                throw error
            }
        } catch {
            return .failure(error)
        }
    }
}

extension ErrorCode {
    /// SPEC §11: 2 for configuration, 3 for systemic failures (nothing moved), else 1.
    public var exitCode: Int32 {
        switch self {
        case .configInvalid: 2
        case .spoolUnavailable, .authFailed, .x3Unreachable, .expensifyError: 3
        default: 1
        }
    }
}
