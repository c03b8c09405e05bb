import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import LedgerDrop
import Logging
import NIOSSL
import ServiceLifecycle

/// A Hummingbird server on 127.0.0.1 in its own service group, shared by both sandboxes.
struct SandboxServer: Sendable {
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let port: Int

    /// Starts serving `router` on `port` (0: any free port) and returns once it listens.
    static func start(router: Router<BasicRequestContext>, name: String, port: Int, tls: X3Sandbox.TLSFiles?, logger: Logger) async throws -> SandboxServer {
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
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: name),
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
            throw LedgerDropError(.spoolUnavailable, "the \(name) could not listen on 127.0.0.1")
        }
        return SandboxServer(group: serviceGroup, task: task, port: port)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    func wait() async { _ = try? await task.value }
}
