import Foundation
import Testing
@testable import LedgerDrop

@Suite("The report IDs the spool already holds")
struct SpoolReportIndexTests {
    @Test(arguments: [
        ("R00I7J3xs5fn.json", "R00I7J3xs5fn"),
        ("R00I7J3xs5fn~2.json", "R00I7J3xs5fn"),
        ("R00I7J3xs5fn.graphql.json", "R00I7J3xs5fn"),
        ("R00I7J3xs5fn.xml", "R00I7J3xs5fn"),
        ("R00I7J3xs5fn.import.txt", "R00I7J3xs5fn"),
        ("R00MultiDate1_2026-10-28.import.txt.error.json", "R00MultiDate1"),
        ("R00I7J3xs5fn.receipt.json", "R00I7J3xs5fn"),
        ("R00I7J3xs5fn.graphql.json.error.json", "R00I7J3xs5fn"),
        ("R00MultiDate1_2026-10-28.graphql.json", "R00MultiDate1"),
        ("R00MultiDate1_2026-10-28_USD.xml", "R00MultiDate1"),
        ("R_1_2026-10-28_EUR.receipt.json", "R_1"),
        ("R_EUR.json", "R_EUR"),
    ])
    func reportIDFromAFileName(name: String, id: String) {
        #expect(SpoolReportIndex.reportID(fromFileName: name) == id)
    }

    @Test func everyFolderAndClaimCounts() throws {
        let spool = Spool(root: NSTemporaryDirectory() + "ledgerdrop-index-" + UUID().uuidString)
        try spool.create()
        defer { try? FileManager.default.removeItem(atPath: spool.root) }
        func write(_ path: String, _ text: String = "{}") throws {
            let full = spool.root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try write("inbox/handdropped.json", #"[{"reportID": "RHAND1", "currency": "EUR", "transactions": []}, {"reportID": "RHAND2"}]"#)
        try write("outbox/ROUT_2026-10-30.graphql.json")
        try write("archive/RARCH.json")
        try write("done/RDONE.xml")
        try write("failed/export.json.error.json", #"{"stage":"convert","code":"INVALID_REPORT","message":"m","remedy":"r","file":"export.json","reportIDs":["RFAIL"],"attempts":1,"retryable":false,"firstFailureAt":"a","lastFailureAt":"a","problems":[]}"#)
        try write(".ledgerdrop/claims/post/host~1~2/RCLAIM.graphql.json")
        let index = SpoolReportIndex(spool: spool)
        for id in ["RHAND1", "RHAND2", "ROUT", "RARCH", "RDONE", "RFAIL", "RCLAIM"] { #expect(index.place(of: id) != nil, "\(id)") }
        #expect(index.place(of: "RNEW") == nil)
        #expect(index.place(of: "RDONE") == "done/RDONE.xml")
    }
}
