import Testing
@testable import LedgerDrop

/// A posted payload against the entry X3 holds now.
@Suite("Posted entry against X3's")
struct EntryComparisonTests {
    static func amount(_ text: String) -> ExactDecimal { ExactDecimal(Substring(text))! }

    static let payload = PayloadFile(
        fileName: "R1.graphql.json", format: .graphql, bytes: [], entryKey: "R1", entryType: "ODT", reference: "R1", accountingDate: Day("2026-11-02")!,
        currency: "EUR", lineCount: 3, total: "120.00", site: "FR011",
        lines: [.init(account: "625700", side: .debit, amount: amount("100.00"), businessPartner: "", description: "Bistro", dimensions: ["CCT": "SALES"]),
                .init(account: "445660", side: .debit, amount: amount("20.00"), businessPartner: "", description: "VAT"),
                .init(account: "421000", side: .credit, amount: amount("120.00"), businessPartner: "EMP0042", description: "R1 Jane Doe")])

    static func held(_ change: (inout [X3PostedEntry.Line]) -> Void = { _ in }, date: String = "2026-11-02") -> X3PostedEntry {
        var lines: [X3PostedEntry.Line] = [
            .init(account: "421000", side: .credit, amount: amount("120"), businessPartner: "EMP0042", dimensions: [:], ledgerType: "1"),
            .init(account: "625700", side: .debit, amount: amount("100"), businessPartner: "", dimensions: ["CCT": "SALES", "PRJ": "DEFAULT"], ledgerType: "1"),
            .init(account: "445660", side: .debit, amount: amount("20.0"), businessPartner: "", dimensions: [:], ledgerType: "1"),
        ]
        change(&lines)
        return X3PostedEntry(entryType: "ODT", entryNumber: "ODT-1", site: "FR011", accountingDate: date, currency: "EUR", lines: lines)
    }

    @Test func theSameLinesInAnotherOrderWithX3sOwnDimensionsAreTheSame() {
        #expect(EntryComparison.differences(payload: Self.payload, x3: Self.held()) == [])
    }

    @Test(arguments: [
        (name: "an amount changed on a debit and its credit", held: held { $0[1].amount = amount("90"); $0[0].amount = amount("110") },
         expected: ["625700 debit: posted 100.00, X3 has 90.00", "421000 credit: posted 120.00, X3 has 110.00", "debit total: posted 120.00, X3 has 110.00"]),
        (name: "a cost center changed", held: held { $0[1].dimensions["CCT"] = "HQ" }, expected: ["625700 debit: CCT posted SALES, X3 has HQ"]),
        (name: "another partner", held: held { $0[0].businessPartner = "EMP0077" }, expected: ["421000 credit: business partner posted EMP0042, X3 has EMP0077"]),
        (name: "a line deleted, another added", held: held { $0[2] = .init(account: "445661", side: .debit, amount: amount("20"), businessPartner: "", dimensions: [:], ledgerType: "1") },
         expected: ["the line 445660 debit 20.00 is not in X3", "X3 has a line 445661 debit 20.00 that was not posted"]),
        (name: "another date", held: held(date: "2026-11-03"), expected: ["accounting date: posted 2026-11-02, X3 has 2026-11-03"]),
    ])
    func eachDifferenceIsNamed(_ example: (name: String, held: X3PostedEntry, expected: [String])) {
        #expect(EntryComparison.differences(payload: Self.payload, x3: example.held) == example.expected, "\(example.name)")
    }
}
