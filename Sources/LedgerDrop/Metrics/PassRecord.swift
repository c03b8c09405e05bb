import Foundation

/// `.ledgerdrop/last-pass.json` (issue 13): when the last `run` or `watch` pass ended, its exit
/// code, and when the last good one ended — what tells an operator (and the stale-pass alert)
/// that the schedule still turns. A good pass is one that ran its stages (exit 0 or 1: items that
/// failed are not a stuck pipeline); 2 and 3 are not. Replaced through the spool's one hand-off.
public struct PassRecord: Sendable, Codable, Equatable {
    public var lastPassAt: String
    /// The same instant in seconds since the epoch, for the metrics.
    public var lastPassSeconds: Int64
    public var lastPassExitCode: Int32
    public var lastGoodPassAt: String?
    public var lastGoodPassSeconds: Int64?
    public var passes: Int

    static func path(_ spool: Spool) -> String { spool.state + "/last-pass.json" }

    /// nil when no pass has been recorded (or the file is unreadable).
    public static func read(_ spool: Spool) -> PassRecord? {
        guard let bytes = try? FileSystem.read(path(spool), limit: 1 << 16) else { return nil }
        return try? JSONDecoder().decode(PassRecord.self, from: Data(bytes))
    }

    /// Records a pass that ended now with `exitCode`.
    public static func record(_ spool: Spool, exitCode: Int32, at now: Int64 = Timestamp.now()) throws(LedgerDropError) {
        let previous = read(spool)
        let at = Timestamp.iso8601(now)
        let good = exitCode <= 1
        let record = PassRecord(lastPassAt: at, lastPassSeconds: now / 1_000_000_000, lastPassExitCode: exitCode,
                                lastGoodPassAt: good ? at : previous?.lastGoodPassAt, lastGoodPassSeconds: good ? now / 1_000_000_000 : previous?.lastGoodPassSeconds,
                                passes: (previous?.passes ?? 0) + 1)
        let handOff = try HandOff(spool: spool)
        defer { handOff.close() }
        try SpoolTransaction(label: "pass", items: [.init(outputs: [.init(content: .bytes(JSONFile.encode(record)), destination: path(spool), replace: true)])])
            .commit(handOff, audit: AuditLog(spool: spool))
    }
}
