/// The Expensify partner credentials (SPEC §9): from `EXPENSIFY_PARTNER_USER_ID` and
/// `EXPENSIFY_PARTNER_USER_SECRET` when set, else from the encrypted store.
public struct ExpensifyCredentials: Sendable, CustomStringConvertible, CustomReflectable {
    public var partnerUserID: String
    public var partnerUserSecret: String

    public init(partnerUserID: String, partnerUserSecret: String) {
        self.partnerUserID = partnerUserID
        self.partnerUserSecret = partnerUserSecret
    }

    /// Environment variables first (containers, CI), then the encrypted store. Both values are
    /// needed; a missing one is a configuration error that says where to put it.
    public static func resolve(environment: [String: String]) throws(LedgerDropError) -> ExpensifyCredentials {
        var id = environment["EXPENSIFY_PARTNER_USER_ID"] ?? ""
        var secret = environment["EXPENSIFY_PARTNER_USER_SECRET"] ?? ""
        if id.isEmpty || secret.isEmpty {
            let stored = try CredentialStore(environment: environment).load()["expensify"] ?? [:]
            if id.isEmpty { id = stored["partnerUserID"] ?? "" }
            if secret.isEmpty { secret = stored["partnerUserSecret"] ?? "" }
        }
        let missing = [("EXPENSIFY_PARTNER_USER_ID", id), ("EXPENSIFY_PARTNER_USER_SECRET", secret)].filter { $0.1.isEmpty }.map(\.0)
        if !missing.isEmpty {
            throw LedgerDropError(.configInvalid, "fetching needs \(missing.joined(separator: " and ")) (environment or `ledgerdrop credentials set expensify`)")
        }
        return ExpensifyCredentials(partnerUserID: id, partnerUserSecret: secret)
    }

    public var description: String { "Expensify credentials (partner user \(partnerUserID.isEmpty ? "not set" : "set"))" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Scrubs the secret from anything written (SPEC §9).
    var redactor: Redactor { Redactor(secrets: [partnerUserSecret]) }
}
