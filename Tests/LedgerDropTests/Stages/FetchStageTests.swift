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

extension FetchStageTests {
    /// An Expensify that records the policies each export asked for.
    final class RecordingExpensify: ExpensifyService, @unchecked Sendable {
        var asked: [[String]] = []
        var listed = 0
        let visible: [ExpensifyPolicy]
        init(visible: [ExpensifyPolicy]) { self.visible = visible }
        func export(_ filters: ExportFilters) async throws(LedgerDropError) -> [UInt8] {
            asked.append(filters.policyIDs)
            return Array("[]".utf8)
        }
        func policies() async throws(LedgerDropError) -> [ExpensifyPolicy] {
            listed += 1
            return visible
        }
    }

    func fetch(companies: [(ids: [String], names: [String])], policies: [String] = [], service: RecordingExpensify) async throws(LedgerDropError) {
        var configuration = try! Fixtures.configuration()
        configuration.expensify.policies = policies
        configuration.companies = companies.enumerated().map { index, company in
            var c = Configuration.Company(name: "C\(index)", site: "S\(index)", entryType: "ODT", journal: "", mapping: configuration.mapping, offset: configuration.posting.offset)
            c.policyIDs = company.ids
            c.policyNames = company.names
            return c
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        _ = try await FetchStage(spool: spool, configuration: configuration, service: service, logger: logger, run: "run1", today: Day("2026-11-25")!).run()
    }

    @Test func companiesAskForTheirPoliciesOnlyWithNamesLookedUpOnce() async throws {
        let service = RecordingExpensify(visible: [.init(id: "P-US", name: "Acme US"), .init(id: "P-ASIA", name: "Acme Asia")])
        try await fetch(companies: [(["P-EU"], []), ([], ["acme us", "Acme Gone"])], service: service)
        #expect(service.asked == [["P-EU", "P-US"]] && service.listed == 1)
        // IDs only: no policy list is asked for.
        let byID = RecordingExpensify(visible: [])
        try await fetch(companies: [(["P-EU"], []), (["P-US"], [])], service: byID)
        #expect(byID.asked == [["P-EU", "P-US"]] && byID.listed == 0)
        // expensify.policies, when given, is what is fetched.
        let explicit = RecordingExpensify(visible: [])
        try await fetch(companies: [(["P-EU"], [])], policies: ["P-EU", "P-OLD"], service: explicit)
        #expect(explicit.asked == [["P-EU", "P-OLD"]])
    }

    @Test func companiesWhosePoliciesNoneCanSeeFetchNothing() async throws {
        let service = RecordingExpensify(visible: [.init(id: "P-ASIA", name: "Acme Asia")])
        await #expect { try await fetch(companies: [([], ["Acme US"])], service: service) } throws: {
            ($0 as? LedgerDropError)?.code == .configInvalid
        }
        #expect(service.asked.isEmpty, "never an export of every policy")
    }
}
