import Crypto
import Foundation

/// The credentials the sandbox accepts, and its checks of a connected-app JWT (SPEC §6.1).
public struct X3SandboxCredentials: Sendable {
    public var clientID: String
    public var clientSecret: String
    public var user: String
    public var password: String

    public init(clientID: String, clientSecret: String, user: String, password: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.user = user
        self.password = password
    }

    /// Signature (HS256 with the client secret), issuer, subject, empty audience, not issued in
    /// the future, not expired.
    func verify(jwt: String, now: Date = Date()) -> Bool {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let claimsData = Self.decode(parts[1]), let signature = Self.decode(parts[2]) else { return false }
        let input = Array("\(parts[0]).\(parts[1])".utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: SymmetricKey(data: Array(clientSecret.utf8))),
              let header = Self.decode(parts[0]), let headerObject = try? JSONSerialization.jsonObject(with: header) as? [String: Any],
              headerObject["alg"] as? String == "HS256",
              let claims = try? JSONSerialization.jsonObject(with: claimsData) as? [String: Any] else { return false }
        let seconds = now.timeIntervalSince1970
        guard claims["iss"] as? String == clientID, claims["sub"] as? String == user, claims["aud"] as? String == "",
              let issued = (claims["iat"] as? NSNumber)?.doubleValue, let expires = (claims["exp"] as? NSNumber)?.doubleValue else { return false }
        return issued <= seconds && expires > seconds
    }

    /// `Basic base64(id:secret)` of the token endpoint, or of SOAP with user and password.
    func matchesBasic(_ header: String, id: String, secret: String) -> Bool {
        guard header.hasPrefix("Basic "), let data = Data(base64Encoded: String(header.dropFirst(6))) else { return false }
        return String(decoding: data, as: UTF8.self) == "\(id):\(secret)"
    }

    static func decode(_ part: Substring) -> Data? {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }
}
