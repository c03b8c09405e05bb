#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What a failed HTTP exchange tells about the request, read from the error's type — never from
/// its text — with a message in plain words (no internal type names). Both clients (X3 and
/// Expensify) decide retry, look-up or stop from `kind` alone.
public struct ExchangeFailure: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The request never left: the connection was refused or could not be made in time.
        case unreachable
        /// The request may have reached the server: the connection closed or timed out after
        /// it was sent, or the answer could not be read.
        case outcomeUnknown
        /// TLS failed (certificate, handshake): no retry will help; stop the run.
        case tls
        /// The host name does not resolve: no retry will help; stop the run.
        case nameResolution
        /// The URL cannot be used at all (configuration).
        case invalidURL
        /// The server redirects elsewhere; redirects to another host are never followed.
        case redirected
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// Whether no retry can help: the run stops (SPEC §6.3 "systemic").
    public var isSystemic: Bool { [.tls, .nameResolution, .invalidURL, .redirected].contains(kind) }

    /// Classifies an error thrown by AsyncHTTPClient, SwiftNIO or NIOSSL.
    public init(_ error: any Error) {
        switch error {
        case let error as ExchangeFailure:
            self = error
        case let error as HTTPClientError:
            self = Self.classify(error)
        case let error as NIOConnectionError:
            // Every address was tried and none connected (or none resolved): nothing was sent.
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                self.init(kind: .nameResolution, message: "the host name \(error.host) does not resolve")
            } else {
                let why = error.connectionErrors.first.map { ($0.error as? IOError).map { String(cString: strerror($0.errnoCode)).lowercased() } ?? "no connection" } ?? "no connection"
                self.init(kind: .unreachable, message: "cannot connect to \(error.host) port \(error.port) (\(why))")
            }
        case is SocketAddressError, is SocketAddressError.UnknownHost:
            self.init(kind: .nameResolution, message: "the host name does not resolve")
        case let error as IOError:
            self = Self.classify(errno: error.errnoCode)
        case let error as ChannelError:
            switch error {
            case .connectTimeout: self.init(kind: .unreachable, message: "the connection could not be made in time")
            case .connectPending: self.init(kind: .unreachable, message: "the connection could not be made")
            default: self.init(kind: .outcomeUnknown, message: "the connection closed before the answer")
            }
        case let error as NIOSSLError:
            switch error {
            case .uncleanShutdown: self.init(kind: .outcomeUnknown, message: "the TLS connection closed before the answer")
            case .handshakeFailed(let detail): self.init(kind: .tls, message: "the TLS handshake failed (\(Self.reason(detail)))")
            default: self.init(kind: .tls, message: "TLS failed")
            }
        case is NIOSSLExtraError, is BoringSSLError:
            self.init(kind: .tls, message: "the TLS handshake failed (\(Self.reason(error)))")
        case is NIOTooManyBytesError:
            self.init(kind: .outcomeUnknown, message: "the answer was larger than ledgerdrop reads")
        case is HTTPParserError:
            self.init(kind: .outcomeUnknown, message: "the answer was not readable HTTP")
        case is CancellationError:
            self.init(kind: .outcomeUnknown, message: "the request was stopped before its answer")
        default:
            // Unknown errors are unknown outcomes: the entry is looked up, never posted blind.
            self.init(kind: .outcomeUnknown, message: "the exchange failed")
        }
    }

    private static func classify(_ error: HTTPClientError) -> ExchangeFailure {
        switch error {
        case .connectTimeout, .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
            ExchangeFailure(kind: .unreachable, message: "the connection could not be made in time")
        case .tlsHandshakeTimeout:
            ExchangeFailure(kind: .unreachable, message: "the TLS handshake did not finish in time")
        case .readTimeout, .deadlineExceeded:
            ExchangeFailure(kind: .outcomeUnknown, message: "no answer within the timeout")
        case .remoteConnectionClosed, .uncleanShutdown:
            ExchangeFailure(kind: .outcomeUnknown, message: "the connection closed before the answer")
        case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
            ExchangeFailure(kind: .invalidURL, message: "the URL cannot be used")
        case .cancelled:
            ExchangeFailure(kind: .outcomeUnknown, message: "the request was stopped before its answer")
        default:
            ExchangeFailure(kind: .outcomeUnknown, message: "the exchange failed before a full answer")
        }
    }

    /// BoringSSL's reason (`CERTIFICATE_VERIFY_FAILED`), without the wrapping types' names.
    static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        guard let marker = text.range(of: "OPENSSL_internal:", options: .backwards) else { return "see the server's certificate" }
        return String(text[marker.upperBound...].prefix { $0 != "]" && $0 != ")" && $0 != "," }).lowercased().replacingOccurrences(of: "_", with: " ")
    }

    private static func classify(errno code: CInt) -> ExchangeFailure {
        switch code {
        case ECONNREFUSED: ExchangeFailure(kind: .unreachable, message: "the connection was refused")
        case ENETUNREACH, EHOSTUNREACH, EHOSTDOWN, ENETDOWN: ExchangeFailure(kind: .unreachable, message: "the network or host is unreachable")
        case ETIMEDOUT: ExchangeFailure(kind: .outcomeUnknown, message: "the connection timed out")
        case ECONNRESET, EPIPE, ECONNABORTED: ExchangeFailure(kind: .outcomeUnknown, message: "the connection was reset before the answer")
        default: ExchangeFailure(kind: .outcomeUnknown, message: "the connection failed (\(String(cString: strerror(code))))")
        }
    }
}
