import Foundation
import Logging
import Testing
@testable import LedgerDrop

/// The fetch stage on a real spool folder, with Expensify behind the `ExpensifyService` seam:
/// what lands where for exports the sandbox would never send.
@Suite("Fetch stage on a spool")
struct FetchStageTests {
    let root = makeTemporaryFolder()
    var spool: Spool { Spool(root: root) }

    /// An Expensify that answers every export with the same body, or fails.
    struct CannedExpensify: ExpensifyService {
        var export: Result<[UInt8], LedgerDropError>
        func export(_ filters: ExportFilters) async throws(LedgerDropError) -> [UInt8] { try export.get() }
        func policies() async throws(LedgerDropError) -> [ExpensifyPolicy] { [] }
    }

    func fetch(_ answer: Result<[UInt8], LedgerDropError>) async throws(LedgerDropError) -> FetchSummary {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await FetchStage(spool: spool, configuration: try! Fixtures.configuration(), service: CannedExpensify(export: answer),
                                    logger: logger, run: "run1", today: Day("2026-11-25")!).run()
    }

    func names(_ folder: Spool.Folder) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool.path(folder))) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func anExportWithAnUnnamedElementIsKeptWholeInFailedAndTheCursorStays() async throws {
        let export = #"[{"reportID": "RGOOD1", "approved": "2026-11-24 10:00:00"}, {"reportName": "no ID"}, {"reportID": "RGOOD2"}]"#
        let summary = try await fetch(.success(Array(export.utf8)))
        #expect(summary.fetched == 2 && summary.failed == 1 && summary.exitCode == 1)
        #expect(names(.inbox) == ["RGOOD1.json", "RGOOD2.json"])
        #expect(names(.failed) == ["expensify-export-run1.json", "expensify-export-run1.json.error.json"])
        // Nothing Expensify sent is lost: the whole export, byte for byte.
        #expect(try Data(contentsOf: URL(fileURLWithPath: spool.path(.failed, "expensify-export-run1.json"))) == Data(export.utf8))
        let error = try #require(ErrorFile.read(Array(try Data(contentsOf: URL(fileURLWithPath: spool.path(.failed, "expensify-export-run1.json.error.json"))))))
        #expect(error.code == .expensifyError && error.stage == "fetch" && error.problems.map(\.path) == ["$[1].reportID"])
        #expect(!FileManager.default.fileExists(atPath: FetchCursor.path(spool)))
        #expect(summary.cursor == nil)
    }

    @Test func aCleanExportMovesTheCursorToYesterday() async throws {
        let summary = try await fetch(.success(Array(#"[{"reportID": "R1"}]"#.utf8)))
        #expect(summary.fetched == 1 && summary.cursor == "2026-11-24")
        #expect(try FetchCursor.read(spool) == Day("2026-11-24"))
        // An empty export still completes the window.
        let empty = try await fetch(.success(Array("[]".utf8)))
        #expect(empty.fetched == 0 && empty.cursor == "2026-11-24")
    }

    @Test func aRefusalWritesNothing() async throws {
        await #expect(throws: LedgerDropError.self) {
            try await fetch(.failure(LedgerDropError(.authFailed, "Expensify refused the partner credentials")))
        }
        for folder in Spool.Folder.allCases { #expect(names(folder).isEmpty) }
        #expect(!FileManager.default.fileExists(atPath: spool.auditLog))
        await #expect(throws: LedgerDropError.self) { try await fetch(.success(Array("<html>502</html>".utf8))) }
        for folder in Spool.Folder.allCases { #expect(names(folder).isEmpty) }
    }

    @Test func anUnreadableCursorStopsTheFetch() async throws {
        try spool.prepare()
        try Data("not json".utf8).write(to: URL(fileURLWithPath: FetchCursor.path(spool)))
        await #expect(throws: LedgerDropError.self) { try await fetch(.success(Array("[]".utf8))) }
    }
}
