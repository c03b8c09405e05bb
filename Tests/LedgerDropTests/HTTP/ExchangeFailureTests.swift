import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing
@testable import LedgerDrop

/// Every transport error type ledgerdrop meets, and the class it falls into. The classes, not
/// the errors' text, decide retry, look-up and stop.
@Suite("Transport failures are classified by type")
struct ExchangeFailureTests {
    @Test(arguments: [
        ("connect timeout", HTTPClientError.connectTimeout, ExchangeFailure.Kind.unreachable),
        ("pool timeout", .getConnectionFromPoolTimeout, .unreachable),
        ("TLS handshake timeout", .tlsHandshakeTimeout, .unreachable),
        ("read timeout", .readTimeout, .outcomeUnknown),
        ("deadline", .deadlineExceeded, .outcomeUnknown),
        ("remote closed", .remoteConnectionClosed, .outcomeUnknown),
        ("unclean shutdown", .uncleanShutdown, .outcomeUnknown),
        ("cancelled", .cancelled, .outcomeUnknown),
        ("body length mismatch", .bodyLengthMismatch, .outcomeUnknown),
        ("invalid URL", .invalidURL, .invalidURL),
        ("empty host", .emptyHost, .invalidURL),
    ])
    func httpClientErrors(name: String, error: HTTPClientError, kind: ExchangeFailure.Kind) {
        #expect(ExchangeFailure(error).kind == kind, "\(name)")
    }

    @Test(arguments: [
        ("ECONNREFUSED", ECONNREFUSED, ExchangeFailure.Kind.unreachable),
        ("ENETUNREACH", ENETUNREACH, .unreachable),
        ("EHOSTUNREACH", EHOSTUNREACH, .unreachable),
        ("ECONNRESET", ECONNRESET, .outcomeUnknown),
        ("EPIPE", EPIPE, .outcomeUnknown),
        ("ETIMEDOUT", ETIMEDOUT, .outcomeUnknown),
        ("EIO", EIO, .outcomeUnknown),
    ])
    func ioErrorsByErrno(name: String, code: Int32, kind: ExchangeFailure.Kind) {
        #expect(ExchangeFailure(IOError(errnoCode: code, reason: "test")).kind == kind, "\(name)")
    }

    @Test(arguments: [
        ("connect timeout", ChannelError.connectTimeout(.seconds(1)), ExchangeFailure.Kind.unreachable),
        ("io on closed channel", .ioOnClosedChannel, .outcomeUnknown),
        ("eof", .eof, .outcomeUnknown),
        ("output closed", .outputClosed, .outcomeUnknown),
    ])
    func channelErrors(name: String, error: ChannelError, kind: ExchangeFailure.Kind) {
        #expect(ExchangeFailure(error).kind == kind, "\(name)")
    }

    @Test func tlsErrorsStopTheRunButAnUncleanTLSCloseIsAnUnknownOutcome() {
        #expect(ExchangeFailure(NIOSSLError.handshakeFailed(.sslError([]))).kind == .tls)
        #expect(ExchangeFailure(NIOSSLError.handshakeFailed(.sslError([]))).isSystemic)
        #expect(ExchangeFailure(NIOSSLError.uncleanShutdown).kind == .outcomeUnknown)
        #expect(ExchangeFailure(BoringSSLError.sslError([])).kind == .tls)
    }

    @Test func otherErrorsAreUnknownOutcomesSoTheEntryIsLookedUp() {
        struct Surprise: Error {}
        #expect(ExchangeFailure(Surprise()).kind == .outcomeUnknown)
        #expect(ExchangeFailure(CancellationError()).kind == .outcomeUnknown)
        #expect(ExchangeFailure(NIOTooManyBytesError(maxBytes: 10)).kind == .outcomeUnknown)
        #expect(!ExchangeFailure(NIOTooManyBytesError(maxBytes: 10)).message.contains("NIO"), "no internal type names in messages")
    }

    // The errors that cannot be made by hand come from real exchanges over loopback.

    static func send(_ url: String, timeout: Duration = .seconds(5)) async -> ExchangeFailure? {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPExchange.clientConfiguration(timeout: timeout))
        defer { Task { try? await client.shutdown() } }
        let exchange = HTTPExchange(client: client, timeout: timeout, followSameHostRedirects: false, limit: 1 << 20)
        do {
            _ = try await exchange.send(HTTPClientRequest(url: url))
            return nil
        } catch {
            return error
        }
    }

    @Test func aRefusedConnectionIsUnreachable() async throws {
        let port = try await TestServer.closedPort()
        let failure = try #require(await Self.send("http://127.0.0.1:\(port)/"))
        #expect(failure.kind == .unreachable)
        #expect(failure.message.contains("refused"))
    }

    @Test func aHostThatDoesNotResolveStopsTheRun() async throws {
        let failure = try #require(await Self.send("http://ledgerdrop-test.invalid/"))
        #expect(failure.kind == .nameResolution)
        #expect(failure.isSystemic)
    }

    @Test func aServerThatClosesAfterTheRequestIsAnUnknownOutcome() async throws {
        let server = try await TestServer.start(.closeAfterRequest)
        defer { server.stop() }
        let failure = try #require(await Self.send("http://127.0.0.1:\(server.port)/"))
        #expect(failure.kind == .outcomeUnknown)
    }

    @Test func tlsToAServerThatSpeaksPlainHTTPIsATLSFailure() async throws {
        let server = try await TestServer.start(.answerAtOnce("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"))
        defer { server.stop() }
        let failure = try #require(await Self.send("https://127.0.0.1:\(server.port)/"))
        #expect(failure.kind == .tls)
    }

    @Test func theTimeoutBoundsTheWholeExchangeNotEachRead() async throws {
        // One byte every 100 ms would never trip a read timeout; the whole answer must come
        // within the timeout.
        let server = try await TestServer.start(.drip)
        defer { server.stop() }
        let started = ContinuousClock.now
        let failure = try #require(await Self.send("http://127.0.0.1:\(server.port)/", timeout: .milliseconds(600)))
        #expect(failure.kind == .outcomeUnknown)
        // The whole answer would take 10,000 s at this pace; being cut off within a minute proves
        // the bound without depending on how loaded the two cores are (under ASan and a
        // parallel test run, 600 ms have taken over 5 s).
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func redirectsToAnotherHostAreNeverFollowed() async throws {
        let server = try await TestServer.start(.answer("HTTP/1.1 307 Temporary Redirect\r\nlocation: http://elsewhere.example/xtrem/api\r\ncontent-length: 0\r\n\r\n"))
        defer { server.stop() }
        let failure = try #require(await Self.send("http://127.0.0.1:\(server.port)/xtrem/api"))
        #expect(failure.kind == .redirected)
        #expect(failure.isSystemic)
        #expect(failure.message.contains("http://elsewhere.example:80"), "the message names the target")
    }

    @Test func sameHostRedirectsOnlyWhenAllowed() async throws {
        let server = try await TestServer.start(.redirectOnce)
        defer { server.stop() }
        let refused = try #require(await Self.send("http://127.0.0.1:\(server.port)/old"))
        #expect(refused.kind == .redirected)
        #expect(refused.message.contains("redirects: same-host"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPExchange.clientConfiguration(timeout: .seconds(5)))
        defer { Task { try? await client.shutdown() } }
        let reply = try await HTTPExchange(client: client, timeout: .seconds(5), followSameHostRedirects: true, limit: 1 << 20).send(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/old"))
        #expect(reply.status == 200)
        #expect(String(decoding: reply.body, as: UTF8.self) == "new")
    }
}
