/// How many events of each kind `audit.log` holds, and how many failures per stage and code
/// (issue 13): the counters of the metrics file and of `status --json`, equal to the log's by
/// construction. Read on from where the last read ended, so a `watch` reads each line once.
public struct AuditTotals: Sendable, Codable, Equatable {
    /// Event kind (`fetched`, `converted`, `posted`, …) → lines.
    public var events: [String: Int] = [:]
    /// `<stage> <code>` → `failed` and `rejected` lines.
    public var failures: [String: Int] = [:]
    /// Bytes of the log read so far (whole lines only).
    var offset: Int64 = 0

    public init() {}

    public static func read(_ spool: Spool) -> AuditTotals {
        var totals = AuditTotals()
        totals.readOn(spool)
        return totals
    }

    /// Counts the lines appended since the last read. A log shorter than what was read (replaced
    /// by hand) is counted again from its start.
    public mutating func readOn(_ spool: Spool) {
        let path = AuditLog(spool: spool).path
        if let size = FileSystem.status(path)?.size, size < offset { self = AuditTotals() }
        var read = offset
        FileSystem.forEachLine(path, from: offset) { line, whole in
            guard whole else { return }
            read += Int64(line.count) + 1
            guard let event = try? JSONParser.parse(Array(line)), case .string(let kind)? = event["event"] else { return }
            events[kind, default: 0] += 1
            if kind == "failed" || kind == "rejected" {
                let stage: String = if case .string(let s)? = event["stage"] { s } else { "" }
                let code: String = if case .string(let c)? = event["code"] { c } else { "" }
                failures["\(stage) \(code)", default: 0] += 1
            }
        }
        offset = read
    }

    private enum CodingKeys: String, CodingKey { case events, failures }
}
