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
