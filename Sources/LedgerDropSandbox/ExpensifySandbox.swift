import Hummingbird
import LedgerDrop
import Logging

/// A stand-in for Expensify's Integration Server on 127.0.0.1 (SPEC §12): the export, download
/// and policy-list jobs over fixture reports, partner-credential checks, the bare-file-name
/// reply, empty downloads before a file is "rendered", 429s past the rate limit, and faults.
public final class ExpensifySandbox: Sendable {
    public let state: ExpensifySandboxState
    let server: SandboxServer

    public var port: Int { server.port }
    public var url: String { "http://127.0.0.1:\(port)\(ExpensifyEndpoints.path)" }

    /// Starts the server on `port` (0: any free port) and returns once it listens. `renderPolls`
    /// is how many downloads of a new file come back empty before its content does.
    public static func start(reports: [ExpensifyReport], credentials: ExpensifySandboxCredentials, port: Int = 0,
                             limits: [Configuration.RequestLimit] = Configuration.Expensify().rateLimits, renderPolls: Int = 1,
                             logger: Logger = Logger(label: "expensify-sandbox")) async throws -> ExpensifySandbox {
        let state = ExpensifySandboxState(reports: reports, limits: limits, renderPolls: renderPolls)
        let router = Router()
        ExpensifyEndpoints(state: state, credentials: credentials).register(on: router)
        let server = try await SandboxServer.start(router: router, name: "expensify-sandbox", port: port, tls: nil, logger: logger)
        return ExpensifySandbox(state: state, server: server)
    }

    init(state: ExpensifySandboxState, server: SandboxServer) {
        self.state = state
        self.server = server
    }

    public func stop() async { await server.stop() }

    public func wait() async { await server.wait() }
}
