import Foundation

/// The jobs ledgerdrop sends to the Integration Server (SPEC §7.2), as `requestJobDescription`
/// JSON. Read-only by design: no `onFinish`, no `markAsExported`, no status change (SPEC §7.4).
enum ExpensifyJob {
    /// Report Exporter: every matching report rendered through the template into one file.
    case export(ExportFilters)
    /// Downloader: the file an export job produced.
    case download(fileName: String)
    /// Policy list: a cheap call that proves the credentials work.
    case policyList

    /// The job description with the credentials inside, as Expensify wants it.
    func description(credentials: ExpensifyCredentials) -> [UInt8] {
        let partner = Credentials(partnerUserID: credentials.partnerUserID, partnerUserSecret: credentials.partnerUserSecret)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data?
        switch self {
        case .export(let filters):
            data = try? encoder.encode(Export(credentials: partner, inputSettings: .init(filters: filters)))
        case .download(let fileName):
            data = try? encoder.encode(Download(credentials: partner, fileName: fileName))
        case .policyList:
            data = try? encoder.encode(Get(credentials: partner))
        }
        return Array(data ?? Data())
    }

    /// The form body: `requestJobDescription`, and `template` for an export (its own field: a
    /// template nested in the JSON is refused with "No Template Submitted").
    func form(credentials: ExpensifyCredentials, template: String) -> [UInt8] {
        var fields = [("requestJobDescription", String(decoding: description(credentials: credentials), as: UTF8.self))]
        if case .export = self { fields.append(("template", template)) }
        return Array(fields.map { "\($0)=\(Self.percentEncoded($1))" }.joined(separator: "&").utf8)
    }

    /// `application/x-www-form-urlencoded` with every byte outside `A-Z a-z 0-9 - . _ ~`
    /// escaped (Foundation's percent-encoding), so a `+` in a template or secret never turns
    /// into a space.
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The name of the job in messages.
    var name: String {
        switch self {
        case .export: "export"
        case .download: "download"
        case .policyList: "policy list"
        }
    }

    // MARK: - Wire shapes (SPEC §7.2; expensify-api.md §3, §5)

    struct Credentials: Encodable {
        var partnerUserID: String
        var partnerUserSecret: String
    }

    struct Export: Encodable {
        var type = "file"
        var credentials: Credentials
        var onReceive = ["immediateResponse": ["returnRandomFileName"]]
        var inputSettings: InputSettings
        var outputSettings = ["fileExtension": "json"]

        struct InputSettings: Encodable {
            var type = "combinedReportData"
            var reportState: String
            var filters: [String: String]

            init(filters: ExportFilters) {
                reportState = filters.reportStates.joined(separator: ",")
                var wire: [String: String] = [:]
                if let approvedAfter = filters.approvedAfter { wire["approvedAfter"] = approvedAfter.description }
                if !filters.reportIDs.isEmpty { wire["reportIDList"] = filters.reportIDs.joined(separator: ",") }
                if !filters.policyIDs.isEmpty { wire["policyIDList"] = filters.policyIDs.joined(separator: ",") }
                self.filters = wire
            }
        }
    }

    struct Download: Encodable {
        var type = "download"
        var credentials: Credentials
        var fileName: String
        var fileSystem = "integrationServer"
    }

    struct Get: Encodable {
        var type = "get"
        var credentials: Credentials
        var inputSettings = ["type": "policyList"]
    }
}

/// What an export asks Expensify for.
public struct ExportFilters: Sendable, Equatable {
    /// `APPROVED`, `REIMBURSED`, `ARCHIVED` (the API's name for Closed).
    public var reportStates: [String]
    /// Reports approved after this day (exclusive), when set.
    public var approvedAfter: Day?
    /// Only these reports, when set.
    public var reportIDs: [String]
    /// Only reports of these policies, when set.
    public var policyIDs: [String]

    public init(reportStates: [String], approvedAfter: Day? = nil, reportIDs: [String] = [], policyIDs: [String] = []) {
        // "Closed" on the website is ARCHIVED in the API; CLOSED is refused there.
        var states: [String] = []
        for state in reportStates.map({ $0.uppercased() == "CLOSED" ? "ARCHIVED" : $0.uppercased() }) where !states.contains(state) {
            states.append(state)
        }
        self.reportStates = states
        self.approvedAfter = approvedAfter
        self.reportIDs = reportIDs
        self.policyIDs = policyIDs
    }
}
