/// Splits the downloaded export (one JSON array, SPEC §7.3) into one file per report. Each
/// report keeps its bytes exactly as Expensify rendered them: nothing is re-encoded, so amounts,
/// rates and 64-bit IDs reach the inbox as written.
public enum ExportSplitter {
    /// One report of the export.
    public struct Report: Sendable, Equatable {
        public var reportID: String
        /// The day part of `approved`, if readable.
        public var approved: Day?
        /// The report's JSON object, as rendered, with a final newline.
        public var bytes: [UInt8]
    }

    /// The reports of an export, and the elements that cannot become an inbox file.
    public struct Split: Sendable {
        public var reports: [Report]
        public var problems: [Problem]
    }

    public static func split(_ bytes: [UInt8]) throws(LedgerDropError) -> Split {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch {
            throw LedgerDropError(.expensifyError, "the export Expensify rendered is not JSON: \(error.message)")
        }
        guard case .array(let items) = document else {
            throw LedgerDropError(.expensifyError, "the export Expensify rendered is \(document.kindName), not the array of reports the template writes")
        }
        let ranges = elementRanges(bytes)
        guard ranges.count == items.count else {
            throw LedgerDropError(.expensifyError, "the export could not be split into its \(items.count) reports")
        }
        var split = Split(reports: [], problems: [])
        var seen = Set<String>()
        for (index, (item, range)) in zip(items, ranges).enumerated() {
            let path = "$[\(index)]"
            guard case .object = item else {
                split.problems.append(Problem(.invalidReport, "element \(index) of the export is \(item.kindName), not a report", path: path))
                continue
            }
            let id: String
            switch item["reportID"] {
            case .string(let text)?: id = text
            case .number(let text)?: id = text
            default:
                split.problems.append(Problem(.invalidReport, "element \(index) of the export has no reportID", path: path + ".reportID"))
                continue
            }
            guard ReportID.isPlain(id) else {
                split.problems.append(Problem(.invalidReport, "report ID \"\(id.prefix(40))\" is not 1 to 20 letters, digits, '_' or '-'", path: path + ".reportID"))
                continue
            }
            // The same report twice in one export: the first copy is the one kept.
            guard seen.insert(id).inserted else { continue }
            var approved: Day?
            if case .string(let text)? = item["approved"] { approved = Day(text) }
            split.reports.append(Report(reportID: id, approved: approved, bytes: Array(bytes[range]) + [0x0A]))
        }
        return split
    }

    /// The byte range of each element of a top-level JSON array that is known to be valid.
    static func elementRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, JSONParser.isWhitespace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return [] }
        index += 1
        var ranges: [Range<Int>] = []
        var depth = 0
        var inString = false
        var start: Int?
        var end = index
        while index < bytes.count {
            let b = bytes[index]
            if inString {
                if b == UInt8(ascii: "\\") { index += 1 } else if b == UInt8(ascii: "\"") { inString = false; end = index + 1 }
            } else if b == UInt8(ascii: "\"") {
                inString = true
                if start == nil { start = index }
            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                if start == nil { start = index }
                depth += 1
            } else if b == UInt8(ascii: "}") || (b == UInt8(ascii: "]") && depth > 0) {
                depth -= 1
                end = index + 1
            } else if depth == 0, b == UInt8(ascii: ",") || b == UInt8(ascii: "]") {
                if let s = start { ranges.append(s..<end) }
                start = nil
                if b == UInt8(ascii: "]") { break }
            } else if !JSONParser.isWhitespace(b) {
                if start == nil { start = index }
                end = index + 1
            }
            index += 1
        }
        return ranges
    }
}
