import Foundation
import LedgerDrop

/// A report the Expensify sandbox holds: what the export template renders for it (the shape of
/// SPEC §3), and what the export filters look at.
public struct ExpensifyReport: Sendable {
    public var reportID: String
    /// The API's state: OPEN, SUBMITTED, APPROVED, REIMBURSED or ARCHIVED.
    public var state: String
    public var approved: Day?
    public var policyID: String
    public var policyName: String
    /// The rendered JSON object.
    public var json: [UInt8]

    /// A report object as the template renders it; the state comes from its `status` word.
    public init?(_ value: JSONValue) {
        func text(_ key: String) -> String {
            switch value[key] {
            case .string(let s)?: s
            case .number(let n)?: n
            default: ""
            }
        }
        let id = text("reportID")
        guard !id.isEmpty else { return nil }
        reportID = id
        state = switch text("status").lowercased() {
        case "open": "OPEN"
        case "processing", "submitted": "SUBMITTED"
        case "reimbursed": "REIMBURSED"
        case "closed", "archived": "ARCHIVED"
        default: "APPROVED"
        }
        approved = Day(text("approved"))
        policyID = text("policyID")
        policyName = text("policyName")
        json = value.encoded
    }

    /// Every report of the files in `folder`: a report object, an array of them, or
    /// `{"reports": […]}` per file (the inbox formats).
    public static func load(folder: String) throws -> [ExpensifyReport] {
        var reports: [ExpensifyReport] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
            reports += try parse(Array(data))
        }
        return reports
    }

    public static func parse(_ bytes: [UInt8]) throws -> [ExpensifyReport] {
        let document = try JSONParser.parse(bytes)
        let items: [JSONValue] = switch document {
        case .array(let list): list
        case .object(let fields): if case .array(let list)? = fields["reports"], fields["reportID"] == nil { list } else { [document] }
        default: []
        }
        return items.compactMap(ExpensifyReport.init)
    }
}
