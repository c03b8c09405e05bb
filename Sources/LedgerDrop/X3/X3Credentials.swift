/// The X3 secrets (SPEC §9). Read from the environment for now; the encrypted store of the fetch
/// issue plugs in as another `X3CredentialSource`.
public struct X3Credentials: Sendable, CustomStringConvertible, CustomReflectable {
    public var clientID: String
    public var clientSecret: String
    public var user: String
    public var password: String

    public init(clientID: String = "", clientSecret: String = "", user: String = "", password: String = "") {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.user = user
        self.password = password
    }

    /// `X3_CLIENT_ID`, `X3_CLIENT_SECRET`, `X3_USER`, `X3_PASSWORD`.
    public static func fromEnvironment(_ environment: [String: String]) -> X3Credentials {
        X3Credentials(
            clientID: environment["X3_CLIENT_ID"] ?? "", clientSecret: environment["X3_CLIENT_SECRET"] ?? "",
            user: environment["X3_USER"] ?? "", password: environment["X3_PASSWORD"] ?? ""
        )
    }

    /// The values the chosen authentication needs, or a configuration error naming the missing ones.
    public func check(for auth: Configuration.X3.Auth) throws(LedgerDropError) {
        let needed: [(String, String)] = switch auth {
        case .connectedApp: [("X3_CLIENT_ID", clientID), ("X3_CLIENT_SECRET", clientSecret), ("X3_USER", user)]
        case .oauth2: [("X3_CLIENT_ID", clientID), ("X3_CLIENT_SECRET", clientSecret)]
        case .basic: [("X3_USER", user), ("X3_PASSWORD", password)]
        }
        let missing = needed.filter { $0.1.isEmpty }.map(\.0)
        if !missing.isEmpty {
            throw LedgerDropError(.configInvalid, "x3.auth \(auth.rawValue) needs \(missing.joined(separator: ", ")) (environment or `ledgerdrop credentials set x3`)")
        }
    }

    /// Names which values are set, never the values.
    public var description: String {
        let set = [("clientID", clientID), ("clientSecret", clientSecret), ("user", user), ("password", password)].filter { !$0.1.isEmpty }.map(\.0)
        return "X3 credentials (\(set.isEmpty ? "none" : set.joined(separator: ", ")) set)"
    }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Every secret value, to be scrubbed from anything written (SPEC §9).
    var secrets: [String] { [clientSecret, password].filter { $0.count >= 4 } }
}

/// Removes secrets and bearer tokens from text that goes into error files, logs or the audit.
public struct Redactor: Sendable, CustomStringConvertible, CustomReflectable {
    var secrets: [String]

    public init(secrets: [String]) { self.secrets = secrets.filter { $0.count >= 4 } }

    public func callAsFunction(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.split(separator: secret, omittingEmptySubsequences: false).joined(separator: "[redacted]")
        }
        // Tokens a server echoes back (a proxy's debug page, an error quoting the request) are
        // not ours to know in advance: their shapes are.
        if result.contains("eyJ") { result.replace(Self.jsonWebToken, with: "[redacted token]") }
        if result.contains("Bearer") || result.contains("Basic") {
            result.replace(Self.authorization) { match in
                let token = match.output[2].substring ?? ""
                // A word in a sentence ("Basic information") is not a credential.
                guard token.contains(where: { !("a"..."z").contains($0) }) else { return String(match.output[0].substring ?? "") }
                return "\(match.output[1].substring ?? "") [redacted]"
            }
        }
        return result
    }

    nonisolated(unsafe) static let jsonWebToken = try! Regex(#"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"#)
    nonisolated(unsafe) static let authorization = try! Regex(#"\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})"#)

    public var description: String { "Redactor (\(secrets.count) secrets)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    func adding(_ secret: String) -> Redactor { Redactor(secrets: secrets + [secret]) }
}
