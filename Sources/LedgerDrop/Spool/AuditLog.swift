/// One line of `audit.log` (SPEC §8).
public struct AuditEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case fetched, converted, posted, recovered, rejected, retried, failed, replayed, skipped
        /// A handed-off or accepted entry's X3 number, found later (SPEC §13.2).
        case numbered
    }

    public var at: String
    public var event: Kind
    public var stage: Stage
    public var reportID = ""
    public var entryKey = ""
    public var file = ""
    public var x3EntryNumber = ""
    public var code: ErrorCode? = nil
    public var message = ""
    /// The expenses' date of an entry a closed period moved to the next open one (SPEC §13.4).
    public var movedFrom = ""
    /// The company of `companies:` the entry posts for (issue 11); empty without companies.
    public var company = ""
    /// The day Expensify approved the report (`fetched`, `converted`, a convert `failed`), so
    /// that `reconcile` knows a report's week without reading its file.
    public var approved = ""
    /// `ReportContent.hash` of the report as it was converted (`converted`).
    public var contentHash = ""
    public var run: String

    public init(at: String, event: Kind, stage: Stage, run: String) {
        self.at = at
        self.event = event
        self.stage = stage
        self.run = run
    }

    /// The JSON line, keys in the order of SPEC §8; empty fields are left out. Text from outside
    /// (X3's messages, file names) is one line already, as JSON escapes every control character.
    var line: [UInt8] {
        var out = JSONText()
        out.raw("{\"at\":"); out.string(at)
        out.raw(",\"event\":"); out.string(event.rawValue)
        out.raw(",\"stage\":"); out.string(stage.rawValue)
        let optional: [(String, String)] = [
            ("reportID", reportID), ("entryKey", entryKey), ("file", file), ("x3EntryNumber", x3EntryNumber), ("company", company),
            ("code", code?.rawValue ?? ""), ("message", message), ("movedFrom", movedFrom), ("approved", approved), ("contentHash", contentHash),
        ]
        for (key, value) in optional where !value.isEmpty {
            out.raw(",\""); out.rawText(key); out.raw("\":"); out.string(value)
        }
        out.raw(",\"run\":"); out.string(run)
        out.raw("}\n")
        return out.bytes
    }
}

/// `audit.log`: JSON Lines, appended, never rewritten. Each line is one `write(2)`, so lines
/// of concurrent processes never mix and a full disk can tear at most one line, which
/// `AuditReport` then names.
public struct AuditLog: Sendable {
    public let path: String

    public init(spool: Spool) { self.path = spool.auditLog }

    public func append(_ events: [AuditEvent]) throws(LedgerDropError) {
        try append(lines: events.map(\.line))
    }

    /// Lines already made (`AuditEvent.line`), appended in as few writes as whole lines allow.
    func append(lines: [[UInt8]]) throws(LedgerDropError) {
        guard !lines.isEmpty else { return }
        do { try FileSystem.append(path, records: lines) } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot append to \(path): \(error)")
        }
    }

    /// A fresh ID for one invocation, shared by all its events.
    public static func newRunID() -> String {
        let time = String(Timestamp.now() / 1_000_000, radix: 36)
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(time)-\(random)"
    }
}
