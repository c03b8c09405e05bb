import Testing
@testable import LedgerDrop

@Suite("reconcile's totals")
struct ReconcileTotalsTests {
    @Test func sumsAreExactPerCompanyAccountCostCenterAndCurrency() {
        var totals = ReconcileTotals(costCenterType: "CCT")
        var payload = EntryComparisonTests.payload
        for _ in 0..<3 { totals.addPosted(payload, company: "FR") }
        payload.currency = "KWD"
        payload.lines[0].amount = ExactDecimal(Substring("0.105"))!
        totals.addPosted(payload, company: "FR")
        totals.addX3(EntryComparisonTests.held(), company: "FR", currency: "EUR")
        totals.x3Asked = true
        let rows = totals.rows
        let meals = rows.first { $0.account == "625700" && $0.currency == "EUR" }
        #expect(meals == .init(company: "FR", account: "625700", costCenter: "SALES", currency: "EUR", postedDebit: "300.00", postedCredit: "0.00", x3Debit: "100.00", x3Credit: "0.00"))
        #expect(meals?.agrees == false)
        #expect(rows.first { $0.account == "625700" && $0.currency == "KWD" }?.postedDebit == "0.105")
        #expect(rows.first { $0.account == "421000" && $0.currency == "EUR" }?.postedCredit == "360.00")
        #expect(rows.map(\.account) == ["421000", "421000", "445660", "445660", "625700", "625700"])
    }
}
