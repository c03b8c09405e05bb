import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Where the `Authorization` header of a GraphQL request comes from (SPEC §6.1).
public protocol TokenSource: Sendable {
    /// A bearer token, from the cache when it is still valid for 30 s.
    func token() async throws(TokenFailure) -> String
    /// Forgets the cached token after X3 refused it (401).
    func invalidate() async
    /// The `Authorization` scheme the token goes with: `Bearer`, or `Basic` for a pool user.
    var scheme: String { get }
}

extension TokenSource {
    public var scheme: String { "Bearer" }
}

/// The web services' user and password, for a GraphQL read on the import route (SPEC §13.5: the
/// lookup authenticates with the same Basic credentials unless `x3.lookupAuth` names another way).
public struct BasicCredentials: TokenSource {
    let encoded: String

    public init(credentials: X3Credentials) {
        encoded = Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
    }

    public func token() throws(TokenFailure) -> String { encoded }
    public func invalidate() {}
    public var scheme: String { "Basic" }
}

/// Why no token could be had: the token endpoint cannot be reached now (retry like X3 itself),
/// or it refused the credentials or cannot be reached at all (stop the run).
public enum TokenFailure: Error, Sendable {
    case unreachable(LedgerDropError)
    case stop(LedgerDropError)
}

/// X3 on-premise connected application: a JWT signed HS256 with the application's secret.
public actor ConnectedAppToken: TokenSource {
    let credentials: X3Credentials
    let lifetime: Duration
    let now: @Sendable () -> Date
    private var cached: (token: String, expires: Date)?

    public init(credentials: X3Credentials, lifetime: Duration, now: @escaping @Sendable () -> Date = { Date() }) {
        self.credentials = credentials
        self.lifetime = lifetime
        self.now = now
    }

    public func token() throws(TokenFailure) -> String {
        let current = now()
        if let cached, cached.expires.timeIntervalSince(current) > 30 { return cached.token }
        // X3 refuses a token from the future: date it 30 s back against clock skew.
        let issued = Int64(current.timeIntervalSince1970) - 30
        let expires = issued + lifetime.components.seconds
        let token = Self.sign(issuer: credentials.clientID, subject: credentials.user, issuedAt: issued, expiresAt: expires, secret: credentials.clientSecret)
        cached = (token, Date(timeIntervalSince1970: TimeInterval(expires)))
        return token
    }

    public func invalidate() { cached = nil }

    /// `header.claims.signature`, each base64url without padding.
    public static func sign(issuer: String, subject: String, issuedAt: Int64, expiresAt: Int64, secret: String) -> String {
        var claims = JSONText()
        claims.raw("{\"iss\":"); claims.string(issuer)
        claims.raw(",\"sub\":"); claims.string(subject)
        claims.raw(",\"aud\":\"\",\"iat\":"); claims.integer(issuedAt)
        claims.raw(",\"exp\":"); claims.integer(expiresAt); claims.raw("}")
        let signingInput = base64URL(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + base64URL(claims.bytes)
        let signature = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return signingInput + "." + base64URL(Array(signature))
    }

    public static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// OAuth2 client credentials at `x3.tokenURL`; the access token is cached until `expires_in` − 30 s.
public actor OAuth2Token: TokenSource {
    let exchange: HTTPExchange
    let tokenURL: String
    let credentials: X3Credentials
    private var cached: (token: String, expires: Date)?

    init(exchange: HTTPExchange, tokenURL: String, credentials: X3Credentials) {
        self.exchange = exchange
        self.tokenURL = tokenURL
        self.credentials = credentials
    }

    public func token() async throws(TokenFailure) -> String {
        if let cached, cached.expires.timeIntervalSinceNow > 30 { return cached.token }
        var request = HTTPClientRequest(url: tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let basic = Data("\(credentials.clientID):\(credentials.clientSecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(basic)")
        request.body = .bytes(ByteBuffer(string: "grant_type=client_credentials"))
        let reply: HTTPExchange.Reply
        do { reply = try await exchange.send(request) } catch {
            // TLS, DNS or a redirect will not pass; a refused or lost connection may.
            let failure = LedgerDropError(.x3Unreachable, "cannot get an OAuth2 token from \(tokenURL): \(error.message)")
            throw error.isSystemic ? .stop(failure) : .unreachable(failure)
        }
        guard reply.status == 200 else {
            throw .stop(LedgerDropError(.authFailed, "the OAuth2 token endpoint \(tokenURL) answered HTTP \(reply.status)"))
        }
        guard let document = try? JSONParser.parse(reply.body), case .string(let token)? = document["access_token"], !token.isEmpty else {
            throw .stop(LedgerDropError(.authFailed, "the OAuth2 token endpoint \(tokenURL) sent no access_token"))
        }
        var seconds: Int64 = 300
        if case .number(let text)? = document["expires_in"], let value = ExactDecimal(Substring(text))?.integerValue { seconds = Int64(value) }
        cached = (token, Date().addingTimeInterval(TimeInterval(seconds)))
        return token
    }

    public func invalidate() { cached = nil }
}
