/// The reports of one inbox file, read leniently enough to name every problem at once.
public struct ReportFile: Sendable {
    /// A report and the problems found reading it. A report with problems still carries its
    /// readable transactions, so that conversion can name their problems too.
    public struct Entry: Sendable {
        public var report: Report
        public var path: String
        public var problems: [Problem]
    }

    public var entries: [Entry]
    /// Problems of the file as a whole (not JSON, wrong shape, the same report twice).
    public var problems: [Problem]

    /// Limits that keep a hostile or broken file from costing more than a report can.
    public static let maxFileBytes = 32 << 20
    public static let maxStringBytes = 10_000
    public static let maxAmountMagnitude: Int64 = 1_000_000_000_000_000

    /// Reads one inbox file: a report object, an array of reports, or `{"reports": […]}`.
    public static func read(_ bytes: [UInt8]) -> ReportFile {
        if bytes.count > maxFileBytes {
            return ReportFile(entries: [], problems: [Problem(.unsupportedFile, "the file is \(bytes.count) bytes; a report file may hold at most \(maxFileBytes)")])
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            return ReportFile(entries: [], problems: [Problem(.invalidJSON, error.message)])
        }
        var objects: [(JSONValue, String)] = []
        switch document {
        case .array(let items):
            objects = items.enumerated().map { ($0.element, "$[\($0.offset)]") }
        case .object(let fields) where fields["reports"] != nil && fields["reportID"] == nil:
            guard case .array(let items)? = fields["reports"] else {
                return ReportFile(entries: [], problems: [Problem(.invalidReport, "\"reports\" must be an array of reports", path: "$.reports")])
            }
            objects = items.enumerated().map { ($0.element, "$.reports[\($0.offset)]") }
        case .object:
            objects = [(document, "$")]
        default:
            return ReportFile(entries: [], problems: [Problem(.invalidReport, "the file holds \(document.kindName); expected a report object, an array of reports or {\"reports\": […]}")])
        }
        if objects.isEmpty {
            return ReportFile(entries: [], problems: [Problem(.emptyReport, "the file holds no reports")])
        }
        var entries: [Entry] = []
        var problems: [Problem] = []
        var seen: [String: String] = [:]
        for (value, path) in objects {
            var reader = FieldReader(path: path)
            guard let report = reader.report(value) else {
                problems += reader.problems
                continue
            }
            if let earlier = seen[report.reportID] {
                problems.append(Problem(.duplicateReport, "report \(report.reportID) appears twice in the file (also at \(earlier))", path: path))
            }
            seen[report.reportID] = path
            entries.append(Entry(report: report, path: path, problems: reader.problems))
        }
        return ReportFile(entries: entries, problems: problems)
    }
}
