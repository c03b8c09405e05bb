import Foundation
import Testing
@testable import LedgerDrop

@Suite("Report files and derived values")
struct ReportFileTests {
    func read(_ text: String) -> ReportFile { ReportFile.read(Array(text.utf8)) }

    let transaction = #"{"transactionID": "1", "created": "2026-10-30", "amount": 100, "category": "Meals"}"#

    @Test func readsTheThreeShapes() {
        let one = #"{"reportID": "A", "currency": "EUR", "transactions": [\#(transaction)]}"#
        #expect(read(one).entries.map(\.path) == ["$"])
        #expect(read("[\(one), \(one.replacingOccurrences(of: "\"A\"", with: "\"B\""))]").entries.map(\.path) == ["$[0]", "$[1]"])
        #expect(read(#"{"reports": [\#(one)]}"#).entries.map(\.path) == ["$.reports[0]"])
    }

    @Test func keepsLargeTransactionIDsExact() throws {
        let file = read(#"{"reportID": "A", "currency": "EUR", "transactions": [{"transactionID": 4056343049275634494, "created": "2026-10-30", "amount": 100, "category": "Meals"}]}"#)
        #expect(file.entries.first?.report.transactions.first?.transactionID == "4056343049275634494")
    }

    @Test func derivesValuesFromModifiedFields() throws {
        let report = try makeReport([[
            "created": "2026-10-01", "modifiedCreated": "2026-10-03", "merchant": "Uber BV", "modifiedMerchant": "Uber &amp; Co",
            "amount": 2500, "modifiedAmount": 2750, "taxAmount": 100, "modifiedTaxAmount": 90,
        ], ["modifiedAmount": 0, "amount": 500, "modifiedMerchant": "", "merchant": "Caf&eacute;"]])
        let edited = report.transactions[0]
        #expect(edited.date == "2026-10-03")
        #expect(edited.merchantName == "Uber & Co")
        #expect(edited.amountInExpenseCurrency == 2750)
        #expect(edited.tax == 90)
        #expect(report.transactions[1].amountInExpenseCurrency == 500)
        #expect(report.transactions[1].merchantName == "Café")
    }

    @Test func defaultsAbsentAndNullFields() throws {
        let report = try makeReport([["reimbursable": NSNull(), "currency": NSNull()]])
        #expect(report.transactions[0].reimbursable)
        #expect(report.transactions[0].currency == "EUR")
    }

    @Test(arguments: [
        (#""amount": "12""#, Int64(12)), (#""amount": "-12""#, -12), (#""amount": 1.2e3"#, 1200), (#""amount": 31200.0"#, 31200),
        (#""amount": "+7""#, 7),
    ])
    func acceptsAmountForms(field: String, expected: Int64) {
        let file = read(#"{"reportID": "A", "currency": "EUR", "transactions": [{"transactionID": "1", "created": "2026-10-30", \#(field), "category": "Meals"}]}"#)
        #expect(file.entries.first?.problems == [])
        #expect(file.entries.first?.report.transactions.first?.amount == expected)
    }

    @Test(arguments: [
        (#""amount": 12.5"#, "whole number"), (#""amount": "12.50""#, "integer number of hundredths"), (#""amount": true"#, "not a boolean"),
        (#""amount": 10000000000000000"#, "too large"), (#""amount": "1e3""#, "integer number"), (#""amount": """#, "integer number"),
    ])
    func refusesOtherAmounts(field: String, message: String) throws {
        let file = read(#"{"reportID": "A", "currency": "EUR", "transactions": [{"transactionID": "1", "created": "2026-10-30", \#(field), "category": "Meals"}]}"#)
        let problem = try #require(file.entries.first?.problems.first)
        #expect(problem.code == .invalidReport)
        #expect(problem.path == "$.transactions[0].amount")
        #expect(problem.message.contains(message))
    }

    @Test func collectsEveryProblemWithItsPath() {
        let file = read(#"{"reportID": "A", "currency": "EUR", "transactions": [{"created": "2026-13-01", "amount": "x"}, {"transactionID": "2", "created": "2026-10-30", "amount": 1, "category": "Meals", "currency": "XAU"}]}"#)
        let problems = file.entries.first?.problems ?? []
        #expect(problems.map(\.path) == [
            "$.transactions[0].transactionID", "$.transactions[0].created", "$.transactions[0].amount", "$.transactions[0].category",
            "$.transactions[1].currency",
        ])
        #expect(problems.last?.code == .unknownCurrency)
    }

    @Test(arguments: ["../../etc/passwd", "a/b", "", "R 1", "ABCDEFGHIJKLMNOPQRSTU", "é1"])
    func refusesReportIDsThatAreNotPlainIdentifiers(id: String) {
        let file = read(#"{"reportID": "\#(id)", "currency": "EUR", "transactions": []}"#)
        #expect(file.problems.first?.code == .invalidReport)
        #expect(file.problems.first?.path == "$.reportID")
    }

    @Test func refusesTheSameReportTwice() {
        let one = #"{"reportID": "A", "currency": "EUR", "transactions": [\#(transaction)]}"#
        #expect(read("[\(one), \(one)]").problems.first?.code == .duplicateReport)
    }

    @Test func refusesOtherShapes() {
        #expect(read("42").problems.first?.code == .invalidReport)
        #expect(read("[]").problems.first?.code == .emptyReport)
        #expect(read(#"{"reports": 3}"#).problems.first?.path == "$.reports")
        #expect(read("[1]").problems.first?.path == "$[0]")
    }

    @Test func limitsStringLength() {
        let long = String(repeating: "x", count: 5 << 20)
        let file = read(#"{"reportID": "A", "currency": "EUR", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 100, "category": "Meals", "comment": "\#(long)"}]}"#)
        #expect(file.entries.first?.problems.first?.path == "$.transactions[0].comment")
    }

    @Test(arguments: [
        ("Caf&eacute; &amp; Bar", "Café & Bar"), ("&lt;b&gt; &quot;x&quot; &#39;y&#39;", "<b> \"x\" 'y'"), ("&#x4E2D;&#25991;", "中文"),
        ("AT&T", "AT&T"), ("&unknown; &", "&unknown; &"), ("&#0;", "&#0;"), ("no entities", "no entities"),
    ])
    func decodesHTMLEntities(text: String, expected: String) {
        #expect(HTMLEntities.decode(text) == expected)
    }

    @Test(arguments: [("2026-02-29", false), ("2028-02-29", true), ("2026-04-31", false), ("2026-11-02 16:40:00", true), ("02/11/2026", false), ("2026-1-2", false)])
    func readsDays(text: String, valid: Bool) {
        #expect((Day(text) != nil) == valid)
    }
}

