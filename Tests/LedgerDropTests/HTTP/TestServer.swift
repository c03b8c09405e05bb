import Foundation
import NIOCore
import NIOPosix

/// A raw TCP server on 127.0.0.1 that misbehaves in one chosen way, for the errors that only a
/// real exchange produces.
final class TestServer: Sendable {
    enum Behaviour: Sendable {
        /// Reads the request, then closes without answering.
        case closeAfterRequest
        /// Sends these bytes after the request, then closes.
        case answer(String)
        /// Sends these bytes as soon as anything arrives (a TLS hello gets plain HTTP back).
        case answerAtOnce(String)
        /// Sends a response head, then one body byte every 100 ms, forever.
        case drip
        /// `/old` redirects to `/new` on the same host; `/new` answers "new".
        case redirectOnce
    }

    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) { self.channel = channel }

    static func start(_ behaviour: Behaviour) async throws -> TestServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(behaviour: behaviour)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestServer(channel: channel)
    }

    /// A port nothing listens on: bound, then closed.
    static func closedPort() async throws -> Int {
        let server = try await start(.closeAfterRequest)
        let port = server.port
        try await server.channel.close()
        return port
    }

    func stop() { channel.close(promise: nil) }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let behaviour: Behaviour
        var received = ""
        var answered = false

        init(behaviour: Behaviour) { self.behaviour = behaviour }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += String(buffer: unwrapInboundIn(data))
            if case .answerAtOnce(let text) = behaviour, !answered {
                answered = true
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text))).whenComplete { _ in channel.close(promise: nil) }
                return
            }
            guard !answered, received.contains("\r\n\r\n") else { return }
            answered = true
            switch behaviour {
            case .answerAtOnce:
                break
            case .closeAfterRequest:
                context.close(promise: nil)
            case .answer(let text):
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text))).whenComplete { _ in channel.close(promise: nil) }
            case .drip:
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n")), promise: nil)
                let channel = context.channel
                channel.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { task in
                    guard channel.isActive else { task.cancel(); return }
                    channel.writeAndFlush(ByteBuffer(string: "x"), promise: nil)
                }
            case .redirectOnce:
                let text = received.hasPrefix("GET /old")
                    ? "HTTP/1.1 307 Temporary Redirect\r\nlocation: /new\r\ncontent-length: 0\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nnew"
                answered = false
                received = ""
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
            }
        }
    }
}
