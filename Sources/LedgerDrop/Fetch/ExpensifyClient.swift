import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// The Integration Server client (SPEC §7.1–§7.2) on async-http-client: one form-encoded POST per
/// job, the client-side rate limit before each, retries after a 429 (once every window has
/// passed), a 5xx or a lost connection, and download polling while the file is not rendered.
public final class ExpensifyClient: ExpensifyService {
    let client: HTTPClient
    let exchange: HTTPExchange
    let settings: Configuration.Expensify
    let credentials: ExpensifyCredentials
    let limiter: RequestLimiter
    let redact: Redactor
    let logger: Logger
    let template: String
    let stop: StopSignal?
    /// The pause before retrying a transient failure: the same policy as X3's posts.
    let backoff: Backoff

    /// The client a command uses: credentials from the environment or the store, and the
    /// request times shared through the spool's `.ledgerdrop/` when the spool exists.
    public convenience init(configuration: Configuration, spool: Spool?, environment: [String: String], logger: Logger, stop: StopSignal? = nil) throws(LedgerDropError) {
        let credentials = try ExpensifyCredentials.resolve(environment: environment)
        var stateFile: String?
        if let spool, FileSystem.status(spool.state)?.isDirectory == true { stateFile = spool.state + "/expensify-requests" }
        let limiter = RequestLimiter(expensify: configuration.expensify.rateLimits, stateFile: stateFile)
        try self.init(settings: configuration.expensify, credentials: credentials, limiter: limiter, logger: logger, stop: stop)
    }

    public init(settings: Configuration.Expensify, credentials: ExpensifyCredentials, limiter: RequestLimiter, logger: Logger, stop: StopSignal? = nil) throws(LedgerDropError) {
        guard settings.url.hasPrefix("https://") || settings.url.hasPrefix("http://") else {
            throw LedgerDropError(.configInvalid, "expensify.url must be an http:// or https:// URL, not \"\(settings.url)\"")
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPExchange.clientConfiguration(timeout: settings.timeout))
        self.client = client
        self.exchange = HTTPExchange(client: client, timeout: settings.timeout, followSameHostRedirects: settings.redirects == .sameHost, limit: 64 << 20)
        self.settings = settings
        self.credentials = credentials
        self.limiter = limiter
        self.redact = credentials.redactor
        self.logger = logger
        self.template = ExportTemplate.text
        self.stop = stop
        self.backoff = Backoff(base: settings.backoff)
    }

    public func shutdown() async { try? await client.shutdown() }

    /// Runs an export job and returns the rendered file (SPEC §7.2 steps 1–2).
    public func export(_ filters: ExportFilters) async throws(LedgerDropError) -> [UInt8] {
        let fileName = try await send(.export(filters)) { status, retryAfter, body throws(ExpensifyReply.Failure) in
            try ExpensifyReply.fileName(status: status, retryAfter: retryAfter, body: body)
        }
        logger.debug("Expensify export file: \(fileName)")
        var waited = Duration.zero
        var delay = settings.downloadPoll
        while true {
            let file = try await send(.download(fileName: fileName)) { status, retryAfter, body throws(ExpensifyReply.Failure) in
                try ExpensifyReply.file(status: status, retryAfter: retryAfter, body: body)
            }
            if let file { return file }
            guard waited + delay <= settings.downloadTimeout else {
                throw LedgerDropError(.expensifyError, "Expensify did not render \(fileName) within \(settings.downloadTimeout) (the download stayed empty); try again later")
            }
            logger.debug("\(fileName) is not rendered yet; downloading again in \(delay)")
            guard await pause(delay) else { throw LedgerDropError(.expensifyError, "the download of \(fileName) was stopped before Expensify rendered it; nothing was written") }
            waited += delay
            delay *= 2
        }
    }

    /// The policies the credentials can see (SPEC §7.2 step 3).
    public func policies() async throws(LedgerDropError) -> [ExpensifyPolicy] {
        try await send(.policyList) { status, retryAfter, body throws(ExpensifyReply.Failure) in
            try ExpensifyReply.policies(status: status, retryAfter: retryAfter, body: body)
        }.map { ExpensifyPolicy(id: $0.id, name: $0.name) }
    }

    /// Sends a job until its reply reads, or fails it as SPEC §10 says.
    func send<T>(_ job: ExpensifyJob, read: (UInt, String?, [UInt8]) throws(ExpensifyReply.Failure) -> T) async throws(LedgerDropError) -> T {
        var attempt = 0
        while true {
            guard let slot = await limiter.book(stop: stop) else {
                throw LedgerDropError(.expensifyError, "the \(job.name) job was stopped before it was sent; nothing was written")
            }
            let answer: Result<(UInt, String?, [UInt8]), ExchangeFailure>
            do { answer = .success(try await post(job)) } catch { answer = .failure(error) }
            await limiter.answered(slot)
            let failure: ExpensifyReply.Failure
            do {
                let (status, retryAfter, body) = try answer.get()
                do { return try read(status, retryAfter, body) } catch { failure = error }
            } catch {
                // TLS, name resolution and redirects elsewhere do not get better by retrying.
                if error.isSystemic {
                    throw LedgerDropError(.expensifyError, "cannot reach Expensify at \(settings.url): \(redact(error.message))")
                }
                failure = .transient("no answer from Expensify at \(settings.url): \(redact(error.message))")
            }
            switch failure {
            case .authentication(let message):
                throw LedgerDropError(.authFailed, redact(message))
            case .refused(let code, let message):
                throw LedgerDropError(.expensifyError, "Expensify refused the \(job.name) job\(code == 0 ? "" : " (responseCode \(code))"): \(redact(message))")
            case .malformed(let message):
                throw LedgerDropError(.expensifyError, redact(message))
            case .rateLimited(let retryAfter):
                guard attempt < settings.retries else {
                    throw LedgerDropError(.expensifyError, "Expensify kept refusing requests as rate-limited (429) after \(attempt + 1) attempts; try again later")
                }
                // Wait until every window Expensify may count has passed, so the next try is not
                // refused again; Retry-After wins when longer.
                let pause = max(limiter.longestWindow, retryAfter ?? .zero) + .milliseconds(Int64.random(in: 0...250))
                logger.notice("Expensify answered 429 (rate limited); pausing \(pause) before the next request")
                await limiter.pause(for: pause)
            case .transient(let message):
                guard attempt < settings.retries else {
                    throw LedgerDropError(.expensifyError, "\(redact(message)) (after \(attempt + 1) attempts)")
                }
                let delay = backoff.delay(before: attempt + 1)
                logger.notice("\(redact(message)); retrying in \(delay)")
                guard await pause(delay) else { throw LedgerDropError(.expensifyError, "the \(job.name) job was stopped; nothing was written") }
            }
            attempt += 1
        }
    }

    /// Sleeps, or returns false at once when a stop is requested.
    private func pause(_ delay: Duration) async -> Bool {
        if let stop { return await stop.sleep(for: delay) }
        try? await Task.sleep(for: delay)
        return !Task.isCancelled
    }

    private func post(_ job: ExpensifyJob) async throws(ExchangeFailure) -> (UInt, String?, [UInt8]) {
        var request = HTTPClientRequest(url: settings.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "User-Agent", value: "ledgerdrop")
        request.body = .bytes(job.form(credentials: credentials, template: template))
        let reply = try await exchange.send(request)
        return (reply.status, reply.header("Retry-After"), reply.body)
    }
}

/// A policy (workspace) the credentials can see.
public struct ExpensifyPolicy: Sendable, Equatable {
    public var id: String
    public var name: String
}

/// What the fetch stage needs from Expensify; `ExpensifyClient` is the real one.
public protocol ExpensifyService: Sendable {
    func export(_ filters: ExportFilters) async throws(LedgerDropError) -> [UInt8]
    func policies() async throws(LedgerDropError) -> [ExpensifyPolicy]
}
