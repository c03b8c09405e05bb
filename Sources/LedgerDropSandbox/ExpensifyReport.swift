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
        json = JSONWriter.bytes(value)
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

/// Writes a parsed JSON value back as JSON. Numbers keep their source text, so nothing changes
/// value on the way; keys come out sorted.
enum JSONWriter {
    static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let n): out += Array(n.utf8)
        case .string(let s): string(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                string(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(fields[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}
