import Foundation

/// `ledgerdrop.yml` (SPEC §4). Defaults are those of the commented example `ledgerdrop init`
/// writes; `ConfigurationLoader` fills this from YAML and rejects unknown keys and wrong types.
public struct Configuration: Sendable {
    public var spool: String? = nil
    public var minFileAge: Duration = .seconds(2)
    public var expensify = Expensify()
    public var x3 = X3()
    public var posting = Posting()
    public var mapping = Mapping()
    /// `companies:` (issue 11), in the file's order; empty: one company, the top level.
    public var companies: [Company] = []

    public init() {}

    public struct Expensify: Sendable {
        public var url = "https://integrations.expensify.com/Integration-Server/ExpensifyIntegrations"
        public var reportStates = ["APPROVED", "REIMBURSED"]
        public var policies: [String] = []
        public var lookback: Duration = .seconds(3 * 86_400)
        public var schedule = Schedule.daily(hour: 6, minute: 0)
        // Extra keys (not in SPEC §4's list), with defaults that follow SPEC §7.
        /// Client-side request limits, kept below Expensify's own (5 per 10 s and 20 per 60 s).
        public var rateLimits = [RequestLimit(requests: 5, per: .seconds(10)), RequestLimit(requests: 20, per: .seconds(60))]
        /// Attempts after the first for a 429, a 5xx or a lost connection.
        public var retries = 5
        /// First delay after a 5xx or a lost connection; doubles each retry.
        public var backoff: Duration = .seconds(2)
        public var timeout: Duration = .seconds(60)
        /// First wait before downloading a file that is not rendered yet; doubles each poll…
        public var downloadPoll: Duration = .seconds(2)
        /// …for at most this long in all.
        public var downloadTimeout: Duration = .seconds(120)
        public var redirects = RedirectPolicy.none

        public init() {}
    }

    /// At most `requests` requests in any window of `per`.
    public struct RequestLimit: Sendable, Equatable {
        public var requests: Int
        public var per: Duration
        public init(requests: Int, per: Duration) {
            self.requests = requests
            self.per = per
        }

        /// Reads `5/10s`.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let count = Int(parts[0]), count > 0, let window = DurationText.parse(parts[1]), window > .zero else { return nil }
            self.init(requests: count, per: window)
        }
    }

    public struct X3: Sendable {
        /// The route to X3 (SPEC §13.1).
        public enum API: String, Sendable, CaseIterable {
            case graphql, soap
            /// Import-template records through SOAP `run` on AOWSIMPORT.
            case `import`
            /// Import-template files handed to `x3.handoff.folder` for GESAIM.
            case file
        }
        /// How an entry is found again after an unknown outcome (SPEC §13.5).
        public enum Lookup: String, Sendable { case auto, reference, fingerprint }
        public enum Auth: String, Sendable { case connectedApp = "connected-app", oauth2, basic }
        public var api = API.graphql
        public var url = ""
        public var endpoint = "SEED"
        public var auth = Auth.connectedApp
        public var tokenURL = ""
        public var tokenLifetime: Duration = .seconds(300)
        public var site = ""
        public var entryType = "ODT"
        public var journal = ""
        public var soap = SOAP()
        public var graphql = GraphQL()
        public var importLayout = Import()
        public var lookup = Lookup.auto
        /// `x3.handoff.folder`: where the `file` route hands its import files to X3 (relative
        /// to the configuration file's folder).
        public var handoffFolder = ""
        /// `{documentType}` (SPEC §13.2).
        public var documentType = "STDCO"
        /// `{status}`: the entry is created final or temporary (SPEC §13.4).
        public var entryStatus = EntryStatus.final
        /// `x3.openPeriods`: the open periods where the server's cannot be read; nil: ask X3.
        public var openPeriods: OpenPeriods? = nil
        public var caFile = ""
        public var timeout: Duration = .seconds(30)
        public var concurrency = 4
        public var rateLimit: ExactDecimal? = nil
        public var retries = 5
        public var backoff: Duration = .seconds(2)
        public var redirects = RedirectPolicy.none

        /// How this configuration finds an entry again. `auto`: by the report ID on the routes
        /// whose publication or operation the customer builds (`soap`, `graphql`); by the
        /// stock-server fingerprint on the import-template routes (`import`, `file`).
        /// The Classic SOAP pool of AOWSIMPORT: `x3.import.poolAlias`, else `x3.soap.poolAlias`.
        public var importPoolAlias: String { importLayout.poolAlias.isEmpty ? soap.poolAlias : importLayout.poolAlias }

        /// Whether ledgerdrop talks to X3 at all: the file route without `x3.url` only writes
        /// files, and never learns their numbers.
        public var readsX3: Bool { api != .file || !url.isEmpty }

        public var lookupKind: Lookup {
            if lookup != .auto { return lookup }
            return api == .import || api == .file ? .fingerprint : .reference
        }

    }

    /// Whether an HTTP redirect is followed: never to another host; to the same host only when
    /// the configuration says `redirects: same-host`.
    public enum RedirectPolicy: String, Sendable { case none, sameHost = "same-host" }

    public struct SOAP: Sendable {
        public var poolAlias = "LEDGERDROP"
        public var publicName = "YGAS"
        public var language = "ENG"
        /// The object XML of the publication (SPEC §13.2).
        public var layout = SOAPLayout.standard
        /// The key of `query` for the reference lookup (SPEC §13.5): the header field that holds
        /// the report ID; empty: the layout's `{reference}` or `{sourceDocument}` field.
        public var lookupKey = ""
        public var queryKey: String { lookupKey.isEmpty ? layout.referenceField ?? "BPRVCR" : lookupKey }
    }

    /// `x3.entryStatus`, and the code X3 reads for it (GESGAS: 1 temporary, 2 final).
    public enum EntryStatus: String, Sendable {
        case final, temporary
        public var code: String { self == .final ? "2" : "1" }
    }

    /// `x3.import` (SPEC §13.2): the records of the customer's import template (a copy of GAS),
    /// written into `.import.txt` payloads and posted through AOWSIMPORT or handed to GESAIM.
    public struct Import: Sendable {
        public enum Encoding: String, Sendable { case utf8 = "utf-8", latin1 = "iso-8859-1" }
        public enum LineEnding: String, Sendable {
            case crlf, lf
            public var text: String { self == .crlf ? "\r\n" : "\n" }
        }

        public static let defaultHeader = "G;{entryType};;{site};{journal};{accountingDate};{documentType};{currency};{description};{sourceDocument};{reference}"
        public static let defaultLine = "D;{line.number};{line.ledgerType};{line.number};{line.site};{line.controlAccount};;;{line.account};{line.businessPartner};{line.sign};{currency};{line.amount};{line.description};{line.tax};"

        /// The analytics record for `dimensions`: each slot the type, then the line's code.
        public static func defaultAnalytics(dimensions: [String], fieldSeparator: String) -> String {
            let slots = dimensions.map { "\($0)\(fieldSeparator){line.dimension.\($0)}" }
            return (["A", "{line.number}"] + slots + ["{line.amount}", "{line.quantity}", "{line.sign}"]).joined(separator: fieldSeparator)
        }

        public var template = "YLDGAS"
        public var publicName = "AOWSIMPORT"
        /// Empty: `x3.soap.poolAlias`.
        public var poolAlias = ""
        /// The G record, once per entry.
        public var header = try! PlaceholderTemplate(Import.defaultHeader)
        /// The D record, once per line and ledger type.
        public var line = try! PlaceholderTemplate(Import.defaultLine)
        /// The A record, after a D record whose line has dimensions.
        public var analytics = try! PlaceholderTemplate(Import.defaultAnalytics(dimensions: ["CCT", "PRJ"], fieldSeparator: ";"))
        public var dimensions = ["CCT", "PRJ"]
        public var fieldSeparator = ";"
        public var decimalSeparator = "."
        /// Tokens `DD`, `MM`, `YYYY`, `YY`; anything else is written as it is.
        public var dateFormat = "DDMMYYYY"
        public var encoding = Encoding.utf8
        public var lineEnding = LineEnding.crlf
        /// One D record per ledger type listed (a folder with several ledgers may need each).
        public var ledgerTypes = ["1"]
    }

    public struct GraphQL: Sendable {
        public static let defaultMutation = """
            mutation PostJournalEntry($data: JournalEntry_Input!) {
              x3Finance { journalEntry { create(data: $data) { journalEntryType journalEntryNumber } } }
            }
            """
        public static let defaultLookup = """
            query FindJournalEntry($filter: String) { x3Finance { journalEntry { query(filter: $filter, first: 5) { edges { node { journalEntryType journalEntryNumber accountingDate reference transactionCurrency } } } } } }
            """
        /// The stock read-only query of SPEC §13.5: entries of a site, type and date with their
        /// lines, matched line for line and by the report ID in a line description.
        public static let defaultFingerprintLookup = """
            query FindEntries($filter: String) { x3Finance { journalEntry { query(filter: $filter, first: 20) {
              edges { node { journalEntryType { code } journalEntryNumber site { code } accountingDate
                transactionCurrency { code }
                journalEntryLines { query(first: 500) { edges { node { lineNumber account { code }
                  businessPartner { code } sign transactionAmount lineDescription } } } } } } } } } }
            """
        public var mutation = defaultMutation
        /// The reference lookup (a customer node with `reference`).
        public var lookup = defaultLookup
        /// The fingerprint lookup (`x3.graphql.lookup` when `x3.lookup` is fingerprint).
        public var fingerprintLookup = defaultFingerprintLookup
        /// `x3.graphql.variables`: the customer operation's variables; nil: SPEC §5.1's shape.
        public var variables: VariablesTemplate? = nil
        /// The field of the mutation's answer that holds the new entry's number, found anywhere
        /// under `data` (a customer operation selects it where its schema puts it).
        public var numberField = "journalEntryNumber"

        /// The operation name of the mutation text (`mutation PostJournalEntry(…)`).
        public var mutationOperationName: String { Self.operationName(of: mutation, kind: "mutation") ?? "PostJournalEntry" }

        /// The name after `mutation` or `query` in an operation's text.
        public static func operationName(of text: String, kind: String) -> String? {
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" || $0 == "{" || $0 == "\t" })
            if let at = words.firstIndex(where: { $0 == kind }), at + 1 < words.count { return String(words[at + 1]) }
            return nil
        }
    }

    public struct Posting: Sendable {
        public enum DatePolicy: String, Sendable { case expense, approved, submitted }
        public enum CurrencyPolicy: String, Sendable { case report, expense }
        public var date = DatePolicy.expense
        public var currency = CurrencyPolicy.report
        public var description = "{reportName}"
        public var lineDescription = "{merchant}"
        /// The offset lines' text. The report ID in it lets the stock-server lookup tell two
        /// reports with equal lines apart (SPEC §13.5): it is kept whole when the text is cut.
        public var offsetDescription = "{reportID} {employee}"
        public var offset = Offsets()
        /// `posting.totalCheck`: what a report whose lines disagree with its `total` becomes.
        public var totalCheck = TotalCheck.fail
        /// `posting.closedPeriod`: an entry dated in a closed period fails, or moves to the first
        /// day of the next open period (SPEC §13.4).
        public var closedPeriod = ClosedPeriod.fail
    }

    public enum ClosedPeriod: String, Sendable { case fail, nextOpen = "next-open" }

    /// `posting.totalCheck` (issue 11): `fail` → `TOTAL_MISMATCH`; `warn` → converted, with the
    /// difference in the audit line and `status`; `off` → not compared.
    public enum TotalCheck: String, Sendable { case fail, warn, off }

    public struct Offsets: Sendable {
        public var reimbursable = Offset(account: "421000", businessPartner: "{employee}")
        public var nonReimbursable = Offset(account: "467100", businessPartner: "")
    }

    public struct Offset: Sendable {
        public var account: String
        public var businessPartner: String
        /// The control-account code (SAC, e.g. `EMP`) of a collective account: `{line.controlAccount}`
        /// on this offset's lines (SPEC §13.4). Empty: the account is not a control account.
        public var controlAccount = ""
        /// One line per expense instead of one summed line (`nonReimbursable` only), so each card
        /// payment meets its line on the card statement.
        public var perTransaction = false
    }

    public struct Mapping: Sendable {
        public var useExpensifyGLCodes = true
        public var costCenterDimension = "CCT"
        public var categories: [String: AccountRule] = [:]
        public var tags: [String: DimensionRule] = [:]
        public var commentPatterns: [CommentPattern] = []
        /// Keyed by lower-cased email.
        public var employees: [String: EmployeeRule] = [:]
        public var defaults = DimensionRule()
        public var taxes: [String: TaxRule] = [:]
        /// `mapping.accountTaxCodes`: the tax code of an expense line on this account when its
        /// tax mapping gives none (accounts subject to tax, SPEC §13.4).
        public var accountTaxCodes: [String: String] = [:]
        /// `mapping.employeeFallback`: what an offset's `{employee}` becomes for an employee without
        /// a mapped business partner.
        public var employeeFallback = EmployeeFallback.none
    }

    /// `none`: such a report is `UNMAPPED_EMPLOYEE`; `payrollID`: the Expensify payroll ID, chosen
    /// explicitly by an administrator whose BP codes are the payroll IDs.
    public enum EmployeeFallback: String, Sendable { case none, payrollID }

    public struct AccountRule: Sendable {
        public var account = ""
        /// `recoverableTax: false`: the tax of this category is not deductible (staff lodging,
        /// foreign VAT): the whole gross stays on the expense account, the tax code kept.
        public var recoverableTax = true
        public var costCenter = ""
        public var dimensions: [String: String] = [:]
    }

    public struct DimensionRule: Sendable {
        public var costCenter = ""
        public var dimensions: [String: String] = [:]
    }

    public struct CommentPattern: @unchecked Sendable {
        // Regex is immutable once built; it is shared read-only across tasks.
        public var source: String
        public var regex: Regex<AnyRegexOutput>
        public var dimension: String
    }

    public struct EmployeeRule: Sendable {
        public var businessPartner = ""
        public var costCenter = ""
        public var dimensions: [String: String] = [:]
    }

    public struct TaxRule: Sendable {
        public var account: String
        /// The X3 tax code to carry on the expense line (`tax` / `VAT`), empty by default.
        public var code = ""
    }
}

/// `expensify.schedule` for `ledgerdrop watch`.
public enum Schedule: Sendable, Equatable {
    case every(Duration)
    case daily(hour: Int, minute: Int)
    case weekly(weekday: Int, hour: Int, minute: Int)

    static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Reads `every 15m`, `daily 06:00` or `weekly mon 06:00`.
    public init?(_ text: String) {
        let words = text.split(separator: " ").map(String.init)
        func time(_ s: String) -> (Int, Int)? {
            let parts = s.split(separator: ":")
            guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
                  let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
            return (h, m)
        }
        switch words.first {
        case "every" where words.count == 2:
            guard let d = DurationText.parse(words[1]), d > .zero else { return nil }
            self = .every(d)
        case "daily" where words.count == 2:
            guard let (h, m) = time(words[1]) else { return nil }
            self = .daily(hour: h, minute: m)
        case "weekly" where words.count == 3:
            guard let day = Self.weekdays.firstIndex(of: words[1].lowercased()), let (h, m) = time(words[2]) else { return nil }
            self = .weekly(weekday: day, hour: h, minute: m)
        default:
            return nil
        }
    }
}

/// Durations as the configuration writes them: `500ms`, `2s`, `5m`, `1h`, `3d`.
public enum DurationText {
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, millis) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), let value = Int64(number), value >= 0,
                  value < Int64.max / millis else { continue }
            return .milliseconds(value * millis)
        }
        return nil
    }
}
