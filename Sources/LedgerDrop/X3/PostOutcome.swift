/// What became of one attempt to post a payload (SPEC §6.3).
public enum PostOutcome: Sendable {
    /// X3 returned an entry number. `diagnoses` are X3's information messages (severity 1–2).
    case posted(X3Entry, diagnoses: [String])
    /// X3 took the entry but its answer carries no number (AOWSIMPORT's `run`): the number is
    /// read back with the lookup, and the payload is never posted again whatever it finds.
    case accepted(diagnoses: [String])
    /// A readable business refusal from X3: the payload goes to `failed/` at once, with X3's own
    /// message. Nothing else is permanent.
    case rejected(LedgerDropError, reply: String)
    /// Worth trying again; `cause` says whether the request may have reached X3.
    case retryable(reason: String, cause: RetryCause, reply: String)
    /// The whole run must stop (credentials refused, TLS or DNS failure): exit 3.
    case systemic(LedgerDropError)
}

/// Why an attempt is worth repeating, which decides whether X3 is asked first (SPEC §6.5).
public enum RetryCause: Sendable, Equatable {
    /// The request never reached X3 (refused connection, connect timeout). When every attempt
    /// ends so, X3 is down: the run stops (`X3_UNREACHABLE`).
    case unreachable
    /// X3 or its gateway said "not now" before doing anything (429, 503, a busy pool).
    case busy(retryAfter: Duration?)
    /// The request may have reached X3 (a timeout or a lost connection after sending, a 502 or
    /// 504, an answer that cannot be read): the entry is looked up before any new attempt.
    case outcomeUnknown
}

/// A journal entry as X3 knows it.
public struct X3Entry: Sendable, Equatable, Codable {
    public var entryType: String
    public var entryNumber: String
    public var accountingDate: String
    public var reference: String

    public init(entryType: String, entryNumber: String, accountingDate: String = "", reference: String = "") {
        self.entryType = entryType
        self.entryNumber = entryNumber
        self.accountingDate = accountingDate
        self.reference = reference
    }
}

/// The route to X3: post a payload, or look an entry up by its reference (SPEC §6.1, §6.2, §6.5).
public protocol X3Transport: Sendable {
    func post(_ payload: PayloadFile) async -> PostOutcome
    /// Entries with this reference and accounting date. Throws a retryable or systemic
    /// `PostOutcome` when X3 cannot answer.
    func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry]
    /// Whether the route can look master data up for `ledgerdrop check` (GraphQL can; the web
    /// services cannot without publishing GACCOUNT and CACCE).
    var checksMasterData: Bool { get }
    /// The nodes a read-only master-data query finds.
    func masterData(_ question: MasterDataQuestion) async throws(LedgerDropError) -> [JSONValue]
    /// `ledgerdrop check` (SPEC §13.3): whether the web-service publication the route posts to
    /// answers, as a finding; nil on a route without one.
    func checkPublication() async throws(LedgerDropError) -> [(ok: Bool, text: String)]
}

extension X3Transport {
    public var checksMasterData: Bool { false }
    public func masterData(_ question: MasterDataQuestion) async throws(LedgerDropError) -> [JSONValue] { [] }
    public func checkPublication() async throws(LedgerDropError) -> [(ok: Bool, text: String)] { [] }
}

public struct LookupFailure: Error, Sendable {
    public var outcome: PostOutcome
    public init(outcome: PostOutcome) { self.outcome = outcome }
}
