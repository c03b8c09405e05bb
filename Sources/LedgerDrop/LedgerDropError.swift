/// The stable error codes of SPEC §10. Every failure a user sees carries one of these.
public enum ErrorCode: String, Sendable, Codable, CaseIterable {
    case invalidJSON = "INVALID_JSON"
    case invalidReport = "INVALID_REPORT"
    case unsupportedFile = "UNSUPPORTED_FILE"
    case unmappedCategory = "UNMAPPED_CATEGORY"
    /// SPEC §13.4: an offset needs the employee's X3 business partner and the mapping has none.
    case unmappedEmployee = "UNMAPPED_EMPLOYEE"
    /// Issue 11: `companies:` is configured and no company takes the report's policy.
    case unmappedPolicy = "UNMAPPED_POLICY"
    /// Issue 11: the report's lines disagree with its Expensify `total`.
    case totalMismatch = "TOTAL_MISMATCH"
    case unknownCurrency = "UNKNOWN_CURRENCY"
    case emptyReport = "EMPTY_REPORT"
    case entryUnbalanced = "ENTRY_UNBALANCED"
    case duplicateReport = "DUPLICATE_REPORT"
    case invalidPayload = "INVALID_PAYLOAD"
    case glAccountNotFound = "GL_ACCOUNT_NOT_FOUND"
    case costCenterNotFound = "COST_CENTER_NOT_FOUND"
    case periodClosed = "PERIOD_CLOSED"
    case x3Rejected = "X3_REJECTED"
    case retriesExhausted = "RETRIES_EXHAUSTED"
    case authFailed = "AUTH_FAILED"
    case x3Unreachable = "X3_UNREACHABLE"
    case expensifyError = "EXPENSIFY_ERROR"
    case configInvalid = "CONFIG_INVALID"
    /// Not in §10: the spool itself cannot be used (permissions, a full disk). Systemic, exit 3.
    case spoolUnavailable = "SPOOL_UNAVAILABLE"

    /// One-line remedy, shown in error files and `docs/error-codes.md`.
    public var remedy: String {
        switch self {
        case .invalidJSON: "Export the report again as UTF-8 JSON; the file is not valid JSON."
        case .invalidReport: "Fix or re-export the report; a field is missing or malformed at the path given."
        case .unsupportedFile: "Only *.json report files belong in inbox/ (and payloads in outbox/); move the file elsewhere."
        case .unmappedCategory: "Add the category to mapping.categories in ledgerdrop.yml (or give it a GL code in Expensify), then replay."
        case .unmappedEmployee: "Add the employee's email to mapping.employees with their X3 business partner (businessPartner), then replay; or set mapping.employeeFallback: payrollID if X3's BP codes are the payroll IDs."
        case .unmappedPolicy: "Add the report's policy ID (or name) to the policyIDs (policyNames) of the company it belongs to under companies: in ledgerdrop.yml, then replay; a report of a policy that is no company's is never posted."
        case .totalMismatch: "The report's lines do not add up to its Expensify total: check the report in Expensify (a deleted or edited expense, a rate) and export it again; posting.totalCheck: warn posts such reports with a warning."
        case .unknownCurrency: "Use an ISO 4217 currency with a minor unit; correct the report in Expensify."
        case .emptyReport: "The report has nothing to post (no expenses, or they sum to zero); nothing to do unless that is wrong."
        case .entryUnbalanced: "Debits and credits differ; check tax and offset mapping, then replay."
        case .duplicateReport: "This report was converted before; use --force only if the earlier entry must be replaced. On the file route: a different file of the same name waits in x3.handoff.folder; compare the two and remove one, then replay."
        case .invalidPayload: "The payload does not match its layout (x3.soap.layout's groups and fields, or x3.import's records), or a value holds a separator of the import records; reconvert it from the report, or fix the text in Expensify."
        case .glAccountNotFound: "Create the GL account in X3 or fix the mapping, then replay."
        case .costCenterNotFound: "Create the cost center (dimension) in X3 or fix the mapping, then replay."
        case .periodClosed: "Open the accounting period in X3 (or change posting.date, or set posting.closedPeriod: next-open to date such entries on the first day of the next open period), then replay."
        case .x3Rejected: "Read X3's message in the error file, fix the cause in X3 or the mapping, then replay."
        case .retriesExhausted: "X3 did not answer in time; replay once it is reachable again (a replayed payload is looked up in X3 before it is posted)."
        case .authFailed: "Check the credentials (ledgerdrop credentials set) and the X3/Expensify user's rights."
        case .x3Unreachable: "Check x3.url, the network and TLS (x3.caFile); nothing was moved."
        case .expensifyError: "Read Expensify's message; check expensify.url, credentials and policies."
        case .configInvalid: "Fix ledgerdrop.yml at the file, line and column given."
        case .spoolUnavailable: "Check that the spool folder exists, is writable and has free space; what X3 may hold stays claimed and the next run looks it up."
        }
    }
}

/// One thing wrong with an input, located by a JSON path (`$.transactions[2].amount`) or, for
/// configuration, by `file:line:column`.
public struct Problem: Sendable, Equatable, Codable {
    public var code: ErrorCode
    public var message: String
    public var path: String

    public init(_ code: ErrorCode, _ message: String, path: String = "$") {
        self.code = code
        self.message = message
        self.path = path
    }
}

/// The one error type of the library. `problems` holds every problem found, not only the first;
/// `code` is the code of the first, which names the failure as a whole.
public struct LedgerDropError: Error, Sendable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public var problems: [Problem]

    public init(_ code: ErrorCode, _ message: String, problems: [Problem] = []) {
        self.code = code
        self.message = message
        self.problems = problems
    }

    public init(problems: [Problem]) {
        precondition(!problems.isEmpty)
        self.code = problems[0].code
        self.message = problems.count == 1
            ? problems[0].message
            : "\(problems[0].message) (and \(problems.count - 1) more problem\(problems.count == 2 ? "" : "s"))"
        self.problems = problems
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
