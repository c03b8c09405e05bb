import Foundation
import Testing
@testable import LedgerDrop

/// The figures of `--metrics-file` and `status --json`, on a real spool.
@Suite("Metrics of a spool")
struct MetricsTests {
    static func spool() throws -> Spool {
        let spool = Spool(root: makeTemporaryFolder())
        try spool.create()
        return spool
    }

    static func event(_ kind: AuditEvent.Kind, _ stage: Stage, code: ErrorCode? = nil) -> AuditEvent {
        var event = AuditEvent(at: "2026-12-05T10:00:00.000Z", event: kind, stage: stage, run: "r1")
        event.reportID = "R1"
        event.code = code
        return event
    }

    @Test func auditTotalsReadOnFromWhereTheyStoppedAndStartAgainOnAShorterLog() throws {
        let spool = try Self.spool()
        let audit = AuditLog(spool: spool)
        try audit.append([Self.event(.converted, .convert), Self.event(.posted, .post), Self.event(.failed, .post, code: .glAccountNotFound)])
        var totals = AuditTotals.read(spool)
        #expect(totals.events == ["converted": 1, "posted": 1, "failed": 1] && totals.failures == ["post GL_ACCOUNT_NOT_FOUND": 1])
        try audit.append([Self.event(.posted, .post), Self.event(.rejected, .post, code: .x3Rejected)])
        // A line being written (no newline yet) waits for the next read.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: audit.path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"at":"x","event":"posted""#.utf8))
        try handle.close()
        totals.readOn(spool)
        #expect(totals.events == ["converted": 1, "posted": 2, "failed": 1, "rejected": 1])
        #expect(totals.failures == ["post GL_ACCOUNT_NOT_FOUND": 1, "post X3_REJECTED": 1])
        try Data((Self.event(.fetched, .fetch).line)).write(to: URL(fileURLWithPath: audit.path))
        totals.readOn(spool)
        #expect(totals.events == ["fetched": 1], "a log replaced by a shorter one is counted anew")
    }

    @Test func aGoodPassIsOneThatRanItsStages() throws {
        let spool = try Self.spool()
        try PassRecord.record(spool, exitCode: 1, at: 1_000_000_000_000)
        try PassRecord.record(spool, exitCode: 3, at: 2_000_000_000_000)
        let record = try #require(PassRecord.read(spool))
        #expect(record.passes == 2 && record.lastPassExitCode == 3 && record.lastPassSeconds == 2_000)
        #expect(record.lastGoodPassSeconds == 1_000, "exit 1 (items failed) is a pass that ran; exit 3 is not")
    }

    @Test func theFileCountsEachEventOnceOverManyPasses() throws {
        let spool = try Self.spool()
        let audit = AuditLog(spool: spool)
        let path = spool.root + "/metrics.prom"
        let metrics = MetricsFile(path: path, spool: spool)
        try audit.append([Self.event(.posted, .post), Self.event(.posted, .post)])
        try metrics.update()
        try audit.append([Self.event(.posted, .post)])
        metrics.record(.post, .milliseconds(80))
        try metrics.update()
        try metrics.update()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(#"ledgerdrop_events_total{event="posted"} 3"#), "\(text)")
        #expect(text.contains(#"ledgerdrop_x3_request_duration_seconds_bucket{operation="post",le="0.1"} 1"#), "\(text)")
        #expect(text.contains("# TYPE ledgerdrop_events_total counter") && text.contains("# TYPE ledgerdrop_files gauge"))
        #expect(try !FileManager.default.contentsOfDirectory(atPath: spool.root).contains { $0.contains(".tmp-") }, "no temp file left")
    }
}
