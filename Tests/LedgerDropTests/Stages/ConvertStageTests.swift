import Foundation
import Logging
import Testing
@testable import LedgerDrop

/// The convert stage on a real spool folder: where every file ends, what the error file says.
@Suite("Convert stage on a spool")
struct ConvertStageTests {
    let root = makeTemporaryFolder()
    var spool: Spool { Spool(root: root) }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try spool.prepare()
        try Data(bytes).write(to: URL(fileURLWithPath: spool.path(.inbox, name)))
    }

    func write(_ name: String, _ text: String) throws { try write(name, Array(text.utf8)) }

    func convert(force: Bool = false, dryRun: Bool = false, _ change: (inout Configuration) -> Void = { _ in }) throws -> ConvertSummary {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var configuration = try Fixtures.configuration()
        change(&configuration)
        let stage = ConvertStage(spool: spool, configuration: configuration, options: .init(dryRun: dryRun, force: force, minimumAge: .zero), logger: logger)
        return try stage.run()
    }

    func names(_ folder: Spool.Folder) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool.path(folder))) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    func errorFile(_ name: String) throws -> ErrorFile {
        try #require(ErrorFile.read(Array(try Data(contentsOf: URL(fileURLWithPath: spool.path(.failed, name + ErrorFile.suffix))))))
    }

    static let good = #"{"reportID": "GOOD1", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#

    static func report(_ id: String, _ transaction: String) -> String {
        #"{"reportID": "\#(id)", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [\#(transaction)]}"#
    }

    static let tx = #""transactionID": "1", "created": "2026-10-30", "amount": 1000"#

    /// One bad input per conversion error code of SPEC §10: `fixtures/bad/<CODE>--<case>`, plus
    /// the two large cases made here.
    static let badInputs: [(String, [UInt8], ErrorCode, String)] = {
        let paths: [String: String] = [
            "INVALID_REPORT--missing-fields.json": "$.currency", "INVALID_REPORT--number-too-large.json": "$.transactions[0].amount",
            "INVALID_REPORT--report-id-traversal.json": "$.reportID", "UNKNOWN_CURRENCY--xau.json": "$.currency",
            "EMPTY_REPORT--no-transactions.json": "$.transactions", "EMPTY_REPORT--zero-total.json": "$.transactions",
            "UNMAPPED_CATEGORY--gifts.json": "$.transactions[0].category", "DUPLICATE_REPORT--same-report-twice.json": "$[1]",
            "INVALID_REPORT--huge-comment.json": "$.transactions[0].comment",
            "UNMAPPED_EMPLOYEE--unmapped-submitter.json": "$.accountEmail", "TOTAL_MISMATCH--total-in-expense-currency.json": "$.total",
        ]
        var inputs: [(String, [UInt8], ErrorCode, String)] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.folder + "/bad")) ?? [] where name.contains("--") {
            let code = ErrorCode(rawValue: String(name.prefix { $0 != "-" }))!
            inputs.append((name, (try? Fixtures.bytes("bad/" + name)) ?? [], code, paths[name] ?? "$"))
        }
        inputs.append(("INVALID_REPORT--huge-comment.json", Array(report("A", #"{\#(tx), "category": "Meals", "comment": "\#(String(repeating: "a", count: 5 << 20))"}"#).utf8), .invalidReport, "$.transactions[0].comment"))
        inputs.append(("INVALID_JSON--deep-nesting.json", Array((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8), .invalidJSON, "$"))
        return inputs.sorted { $0.0 < $1.0 }
    }()

    @Test func everyConversionCodeHasABadInput() {
        let codes = Set(Self.badInputs.map(\.2))
        for code in [ErrorCode.invalidJSON, .invalidReport, .unsupportedFile, .unmappedCategory, .unmappedEmployee, .unknownCurrency, .emptyReport, .duplicateReport, .totalMismatch] {
            #expect(codes.contains(code), "\(code)")
        }
    }

    /// Cases are named by file, never by their bytes (one is 5 MB).
    @Test(arguments: badInputs.map(\.0))
    func badInputEndsInFailedWithItsCode(name: String) throws {
        let (_, bytes, code, path) = Self.badInputs.first { $0.0 == name }!
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(name, bytes)
        try write("zz-next.json", Self.good)
        let summary = try convert()
        #expect(names(.failed) == [name, name + ErrorFile.suffix])
        #expect(names(.outbox) == ["GOOD1.graphql.json"], "nothing of the bad file reaches outbox/, the next file still converts")
        #expect(names(.archive) == ["zz-next.json"])
        #expect(names(.inbox).isEmpty)
        #expect(summary.failedFiles == 1 && summary.exitCode == 1)
        let error = try errorFile(name)
        #expect(error.code == code)
        #expect(error.stage == "convert")
        #expect(error.problems.first?.path == path)
        #expect(error.file == name)
        let audit = try String(contentsOfFile: spool.auditLog, encoding: .utf8)
        #expect(audit.contains(#""event":"failed","stage":"convert""#) && audit.contains(code.rawValue))
    }

    @Test func errorFileListsEveryProblem() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("many.json", Self.report("A", #"{\#(Self.tx), "category": "Gifts"}, {"transactionID": "2", "created": "yesterday", "amount": 1, "category": "Meals"}, {"transactionID": "3", "created": "2026-10-30", "amount": 1, "category": "Toys"}"#))
        _ = try convert()
        let error = try errorFile("many.json")
        #expect(error.problems.map(\.path) == ["$.transactions[1].created", "$.transactions[0].category", "$.transactions[2].category"])
        #expect(error.problems.map(\.code) == [.invalidReport, .unmappedCategory, .unmappedCategory])
    }

    @Test func symbolicLinksAreNeverFollowed() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try spool.prepare()
        let outside = root + "/outside.json"
        try Self.good.write(toFile: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: spool.path(.inbox, "link.json"), withDestinationPath: outside)
        _ = try convert()
        #expect(try errorFile("link.json").code == .unsupportedFile)
        #expect(names(.outbox).isEmpty)
        #expect(FileManager.default.fileExists(atPath: outside), "the link's target is untouched")
    }

    @Test func duplicatesAreRefusedUnlessForced() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("first.json", Self.good)
        _ = try convert()
        try write("again.json", Self.good)
        _ = try convert()
        let error = try errorFile("again.json")
        #expect(error.code == .duplicateReport)
        #expect(error.message.contains("outbox/GOOD1.graphql.json"))
        // The refused file keeps its name in failed/; forcing it from the inbox replaces the payload.
        try FileManager.default.moveItem(atPath: spool.path(.failed, "again.json"), toPath: spool.path(.inbox, "again.json"))
        let forced = try convert(force: true)
        #expect(forced.files == 1 && forced.failedFiles == 0)
        #expect(names(.archive) == ["again.json", "first.json"])
    }

    @Test func duplicateOfAPostedEntryNamesItsX3Number() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try spool.prepare()
        try Data("{}".utf8).write(to: URL(fileURLWithPath: spool.path(.done, "GOOD1.graphql.json")))
        try Data(#"{"entryKey": "GOOD1", "x3EntryNumber": "ODT-FR011-2026-000042"}"#.utf8).write(to: URL(fileURLWithPath: spool.path(.done, "GOOD1.receipt.json")))
        try write("late.json", Self.good)
        _ = try convert()
        #expect(try errorFile("late.json").message.contains("ODT-FR011-2026-000042"))
    }

    @Test func sameFileNameTwiceNeverOverwritesTheArchive() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("export.json", Self.good)
        _ = try convert()
        try write("export.json", Self.good.replacingOccurrences(of: "GOOD1", with: "GOOD2"))
        _ = try convert()
        #expect(names(.archive) == ["export.json", "export~2.json"])
    }

    @Test func partialAndHiddenAndYoungFilesAreLeftAlone() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in [".hidden.json", "copy.json.part", "dl.crdownload", "x.tmp", "y.partial"] { try write(name, Self.good) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        try write("young.json", Self.good)
        let stage = ConvertStage(spool: spool, configuration: try Fixtures.configuration(), options: .init(minimumAge: .seconds(60)), logger: logger)
        let summary = try stage.run()
        #expect(summary.waiting == 1 && summary.files == 0)
        #expect(names(.inbox) == ["copy.json.part", "dl.crdownload", "x.tmp", "y.partial", "young.json"])
        #expect(names(.outbox).isEmpty && names(.failed).isEmpty)
    }

    @Test func dryRunWritesNothing() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("a.json", Self.good)
        try write("b.json", "nope")
        let summary = try convert(dryRun: true)
        #expect(summary.files == 1 && summary.failedFiles == 1)
        #expect(names(.inbox) == ["a.json", "b.json"])
        #expect(names(.outbox).isEmpty && names(.failed).isEmpty && names(.archive).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: spool.auditLog))
    }

    @Test func staleClaimOfADeadProcessIsRecoveredAsItsOwnWork() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("seed.json", Self.good)
        _ = try convert()
        // A crashed run: it handed GOOD1's payload off but never archived its source.
        let dead = ClaimOwner(host: ClaimOwner.current.host, pid: 999_999, startTime: 1).folderName
        let claim = "\(spool.claims(.convert))/\(dead)"
        try FileManager.default.createDirectory(atPath: claim, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: spool.path(.archive, "seed.json"), toPath: claim + "/seed.json")
        // And one it had claimed but not converted.
        try Self.good.replacingOccurrences(of: "GOOD1", with: "GOOD3").write(toFile: claim + "/other.json", atomically: true, encoding: .utf8)
        let summary = try convert()
        #expect(summary.files == 2 && summary.failedFiles == 0)
        #expect(names(.archive) == ["other.json", "seed.json"])
        #expect(names(.outbox) == ["GOOD1.graphql.json", "GOOD3.graphql.json"])
        #expect(!FileManager.default.fileExists(atPath: claim))
    }

    @Test func statusCountsFoldersAndFailures() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("a.json", Self.good)
        try write("b.json", "{")
        try write("c.json", Self.report("C", #"{\#(Self.tx), "category": "Gifts"}"#))
        _ = try convert()
        try write("waiting.json", Self.good)
        let status = SpoolStatus.gather(spool)
        #expect(status.folders["inbox"]?.files == 1)
        #expect(status.folders["outbox"]?.files == 1)
        #expect(status.folders["archive"]?.files == 1)
        #expect(status.folders["failed"]?.files == 2)
        #expect(status.failuresByCode == ["INVALID_JSON": 1, "UNMAPPED_CATEGORY": 1])
        #expect(status.lastRuns["convert"] != nil)
        #expect(status.text.contains("INVALID_JSON"))
    }

    /// `posting.totalCheck: warn`: the report is converted, its audit line carries the code and
    /// both figures, and `status` counts it.
    @Test func aWarnedTotalMismatchIsConvertedAndSaidInTheAuditAndStatus() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let wrong = #"{"reportID": "RWARN", "currency": "EUR", "total": 900, "accountEmail": "jane.doe@acme.example", "transactions": [{\#(Self.tx), "category": "Meals"}]}"#
        try write("warn.json", wrong)
        try write("good.json", Self.good)
        let summary = try convert { $0.posting.totalCheck = .warn }
        #expect(summary.exitCode == 0)
        #expect(names(.outbox) == ["GOOD1.graphql.json", "RWARN.graphql.json"])
        let audit = try String(contentsOfFile: spool.auditLog, encoding: .utf8).split(separator: "\n")
        let warned = try #require(audit.first { $0.contains("RWARN") })
        #expect(warned.contains(#""event":"converted""#) && warned.contains(#""code":"TOTAL_MISMATCH""#))
        #expect(warned.contains("sum to 10.00 EUR but its Expensify total is 9.00 EUR"))
        #expect(audit.first { $0.contains("GOOD1") }?.contains("code") == false)
        let status = SpoolStatus.gather(spool)
        #expect(status.warningsByCode == ["TOTAL_MISMATCH": 1])
        #expect(status.text.contains("converted with a warning (recent audit.log): TOTAL_MISMATCH 1"))
    }
}
