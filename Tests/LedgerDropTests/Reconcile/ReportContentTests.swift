import Testing
@testable import LedgerDrop

/// The content hash tells an edited report from one exported again as it was.
@Suite("A report's content hash")
struct ReportContentTests {
    static let text = #"{"reportID": "R1", "reportName": "Trip", "status": "Approved", "currency": "EUR", "total": 1000, "approved": "2026-11-02 16:40:00", "accountEmail": "jane@acme.example", "transactions": [{"transactionID": "1", "created": "2026-11-01", "merchant": "Bistro", "amount": 1000, "category": "Meals", "receiptURL": "https://expensify.example/r/abc?sig=1"}]}"#

    static func content(_ replacing: String = "", with other: String = "") -> ReportContent {
        let text = replacing.isEmpty ? Self.text : Self.text.replacingOccurrences(of: replacing, with: other)
        return ReportContent(ReportFile.read(Array(text.utf8)).entries[0].report)
    }

    @Test func theApprovalDayIsRead() {
        #expect(Self.content().approved == Day("2026-11-02") && Self.content().hash.count == 32)
    }

    @Test(arguments: [
        (name: "status", from: "\"Approved\"", to: "\"Reimbursed\""),
        (name: "approval time", from: "2026-11-02 16:40:00", to: "2026-11-09 08:00:00"),
        (name: "a signed receipt link", from: "sig=1", to: "sig=2"),
    ])
    func whatAnEntryDoesNotHoldDoesNotCount(_ example: (name: String, from: String, to: String)) {
        #expect(Self.content(example.from, with: example.to).hash == Self.content().hash, "\(example.name)")
    }

    @Test(arguments: [
        (name: "an amount", from: "\"amount\": 1000", to: "\"amount\": 1001"),
        (name: "a category", from: "Meals", to: "Hotel"),
        (name: "a merchant", from: "Bistro", to: "Bistrot"),
        (name: "a date", from: "2026-11-01", to: "2026-10-31"),
        (name: "the report's name", from: "Trip", to: "Trip 2"),
    ])
    func whatAnEntryHoldsCounts(_ example: (name: String, from: String, to: String)) {
        #expect(Self.content(example.from, with: example.to).hash != Self.content().hash, "\(example.name)")
    }
}
