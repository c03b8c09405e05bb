import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import LedgerDrop
import Logging
import NIOCore
import ServiceLifecycle

/// A stand-in for Sage X3 on 127.0.0.1 (SPEC §12): the GraphQL API, the OAuth2 token endpoint,
/// master data from a fixture, X3-like refusals, numbered entries, a ledger file, and faults.
public final class X3Sandbox: Sendable {
    public let state: X3SandboxState
    public let credentials: X3SandboxCredentials
    let group: ServiceGroupBox
    public let port: Int
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
        let bound = AsyncStream<Int>.makeStream()
        var quiet = logger
        quiet.logLevel = .error
        var server = HTTPServerBuilder.http1()
        if let tls {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificateChain).map { NIOSSLCertificateSource.certificate($0) }
            server = try .tls(.http1(), tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.privateKey, format: .pem))))
        }
        let app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "x3-sandbox"),
            onServerRunning: { channel in
                bound.continuation.yield(channel.localAddress?.port ?? 0)
                bound.continuation.finish()
            },
            logger: quiet
        )
        let serviceGroup = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: quiet))
        let task = Task { try await serviceGroup.run() }
        var port = 0
        for await value in bound.stream { port = value }
        guard port != 0 else {
            task.cancel()
            throw LedgerDropError(.x3Unreachable, "the X3 sandbox could not listen")
        }
        return X3Sandbox(state: state, credentials: credentials, group: ServiceGroupBox(group: serviceGroup, task: task), port: port, secure: tls != nil)
    }

    init(state: X3SandboxState, credentials: X3SandboxCredentials, group: ServiceGroupBox, port: Int, secure: Bool) {
        self.state = state
        self.credentials = credentials
        self.group = group
        self.port = port
        self.secure = secure
    }

    public func stop() async {
        await group.group.triggerGracefulShutdown()
        _ = try? await group.task.value
    }

    /// Runs until the process is stopped (for `ledgerdrop sandbox`).
    public func wait() async {
        _ = try? await group.task.value
    }
}

struct ServiceGroupBox: Sendable {
    let group: ServiceGroup
    let task: Task<Void, any Error>
}
