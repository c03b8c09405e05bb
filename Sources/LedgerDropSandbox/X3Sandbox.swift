import Foundation
import Hummingbird
import LedgerDrop
import Logging

/// A stand-in for Sage X3 on 127.0.0.1 (SPEC §12): the GraphQL API, the OAuth2 token endpoint,
/// master data from a fixture, X3-like refusals, numbered entries, a ledger file, and faults.
public final class X3Sandbox: Sendable {
    public let state: X3SandboxState
    public let credentials: X3SandboxCredentials
    let server: SandboxServer
    let secure: Bool

    public var url: String { "\(secure ? "https" : "http")://127.0.0.1:\(port)" }

    /// A server certificate and its key (PEM files), to serve HTTPS like an on-premise X3.
    public struct TLSFiles: Sendable {
        public var certificateChain: String
        public var privateKey: String
        public init(certificateChain: String, privateKey: String) {
            self.certificateChain = certificateChain
            self.privateKey = privateKey
        }
    }

    /// Starts the server on `port` (0: any free port) and returns once it listens.
    public static func start(master: X3MasterData, ledgerFile: String?, credentials: X3SandboxCredentials, port: Int = 0, tls: TLSFiles? = nil, logger: Logger = Logger(label: "x3-sandbox")) async throws -> X3Sandbox {
        let state = X3SandboxState(master: master, ledgerFile: ledgerFile)
        let router = Router()
        X3Endpoints(state: state, credentials: credentials).register(on: router)
        let server = try await SandboxServer.start(router: router, name: "x3-sandbox", port: port, tls: tls, logger: logger)
        return X3Sandbox(state: state, credentials: credentials, server: server, secure: tls != nil)
    }

    init(state: X3SandboxState, credentials: X3SandboxCredentials, server: SandboxServer, secure: Bool) {
        self.state = state
        self.credentials = credentials
        self.server = server
        self.secure = secure
    }

    public var port: Int { server.port }

    public func stop() async { await server.stop() }

    /// Runs until the process is stopped (for `ledgerdrop sandbox`).
    public func wait() async { await server.wait() }
}
