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

    func convert(force: Bool = false, dryRun: Bool = false) throws -> ConvertSummary {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let stage = ConvertStage(spool: spool, configuration: try Fixtures.configuration(), options: .init(dryRun: dryRun, force: force, minimumAge: .zero), logger: logger)
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
        #"{"reportID": "\#(id)", "currency": "EUR", "transactions": [\#(transaction)]}"#
    }

    static let tx = #""transactionID": "1", "created": "2026-10-30", "amount": 1000"#

    /// One bad input per conversion error code of SPEC §10, and the shapes of brokenness the issue names.
    static let badInputs: [(String, [UInt8], ErrorCode, String)] = [
        ("invalid.json", Array("{\"reportID\": \"A\", ]".utf8), .invalidJSON, "$"),
        ("truncated.json", Array(good.utf8.prefix(60)), .invalidJSON, "$"),
        ("empty.json", [], .invalidJSON, "$"),
        ("scalar.json", Array("\"just a string\"".utf8), .invalidReport, "$"),
        ("missing-fields.json", Array(#"{"reportID": "A", "transactions": [{"amount": 1}]}"#.utf8), .invalidReport, "$.currency"),
        ("unknown-currency.json", Array(#"{"reportID": "A", "currency": "XAU", "transactions": [{\#(tx), "category": "Meals"}]}"#.utf8), .unknownCurrency, "$.currency"),
        ("empty-report.json", Array(report("A", "").utf8), .emptyReport, "$.transactions"),
        ("zero-total.json", Array(report("A", #"{\#(tx), "category": "Meals"}, {"transactionID": "2", "created": "2026-10-30", "amount": -1000, "category": "Meals"}"#).utf8), .emptyReport, "$.transactions"),
        ("unmapped.json", Array(report("A", #"{\#(tx), "category": "Gifts"}"#).utf8), .unmappedCategory, "$.transactions[0].category"),
        ("too-large.json", Array(report("A", #"{"transactionID": "1", "created": "2026-10-30", "amount": 99999999999999999999, "category": "Meals"}"#).utf8), .invalidReport, "$.transactions[0].amount"),
        ("huge-comment.json", Array(report("A", #"{\#(tx), "category": "Meals", "comment": "\#(String(repeating: "a", count: 5 << 20))"}"#).utf8), .invalidReport, "$.transactions[0].comment"),
        ("deep.json", Array((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8), .invalidJSON, "$"),
        ("nul.json", Array(good.utf8.prefix(20)) + [0] + Array(good.utf8.dropFirst(20)), .invalidJSON, "$"),
        ("utf16.json", [0xFF, 0xFE] + good.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }, .invalidJSON, "$"),
        ("traversal.json", Array(#"{"reportID": "../../etc/x", "currency": "EUR", "transactions": [{\#(tx), "category": "Meals"}]}"#.utf8), .invalidReport, "$.reportID"),
        ("twice.json", Array("[\(good), \(good)]".utf8), .duplicateReport, "$[1]"),
        ("notes.txt", Array("hello".utf8), .unsupportedFile, "$"),
        ("html.json", Array("<!DOCTYPE html><html><body>Service unavailable</body></html>".utf8), .invalidJSON, "$"),
    ]

    @Test(arguments: badInputs)
    func badInputEndsInFailedWithItsCode(name: String, bytes: [UInt8], code: ErrorCode, path: String) throws {
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
}
