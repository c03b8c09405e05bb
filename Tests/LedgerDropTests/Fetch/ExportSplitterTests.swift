import Testing
@testable import LedgerDrop

@Suite("Splitting the downloaded export into one inbox file per report")
struct ExportSplitterTests {
    @Test func eachReportKeepsItsBytes() throws {
        let first = #"{"reportID": "R00I7J3xs5fn", "approved": "2026-11-02 16:40:00", "total": 45678, "rate": 1.15, "note": "a, [b] {c} \"d\""}"#
        let second = #"{"reportID": 1234567, "transactions": [{"transactionID": "4056343049275634494", "amount": -500}]}"#
        let export = Array("\u{FEFF}[\n\(first) ,\n  \(second)\n]\n".utf8)
        let split = try ExportSplitter.split(export)
        #expect(split.problems.isEmpty)
        #expect(split.reports.map(\.reportID) == ["R00I7J3xs5fn", "1234567"])
        #expect(split.reports[0].bytes == Array((first + "\n").utf8))
        #expect(split.reports[1].bytes == Array((second + "\n").utf8))
        #expect(split.reports[0].approved == Day("2026-11-02"))
        #expect(split.reports[1].approved == nil)
        // Each file is a report the inbox reader takes.
        for report in split.reports { #expect(ReportFile.read(report.bytes).entries.first?.report.reportID == report.reportID) }
    }

    @Test func anEmptyExportHasNoReports() throws {
        #expect(try ExportSplitter.split(Array("[]".utf8)).reports.isEmpty)
        #expect(try ExportSplitter.split(Array(" [ ] ".utf8)).reports.isEmpty)
    }

    @Test func elementsThatCannotBeNamedAreProblemsAndDuplicatesAreDropped() throws {
        let export = Array(#"[{"reportID": "R1"}, 42, {"name": "no id"}, {"reportID": "../../etc"}, {"reportID": "R1", "copy": true}]"#.utf8)
        let split = try ExportSplitter.split(export)
        #expect(split.reports.map(\.reportID) == ["R1"])
        #expect(split.reports[0].bytes == Array(#"{"reportID": "R1"}"#.utf8) + [0x0A])
        #expect(split.problems.map(\.path) == ["$[1]", "$[2].reportID", "$[3].reportID"])
    }

    @Test(arguments: ["", "{\"reportID\": \"R1\"}", "<html>error</html>", "[{\"reportID\": \"R1\"}"])
    func anythingButAnArrayIsAnExpensifyError(text: String) {
        #expect(throws: LedgerDropError.self) { try ExportSplitter.split(Array(text.utf8)) }
    }
}
