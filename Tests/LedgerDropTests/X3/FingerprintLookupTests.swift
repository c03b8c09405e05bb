import Testing
@testable import LedgerDrop

/// SPEC §13.5: on a stock server an entry is found by its lines and the report ID in a line
/// description — never by a `reference` the stock node does not have.
@Suite("The stock-server fingerprint lookup")
struct FingerprintLookupTests {
    /// The hand-written import file of the Paris fixture: 625100 debit 312.00 with dimensions,
    /// 421000 credit 312.00 for EMP0042, described "R00I7J3xs5fn Jane Doe".
    static func payload() throws -> PayloadFile {
        let configuration = try Fixtures.configuration(api: .import)
        return try PayloadFile.read(fileName: "R00I7J3xs5fn.import.txt", bytes: try Fixtures.bytes("import/01-paris-client-visit.import.txt"), x3: configuration.x3)
    }

    struct Line { var account: String; var sign: Int; var amount: String; var partner = ""; var description = "" }

    static func node(number: String, site: String = "FR011", date: String = "2026-10-30", lines: [Line]) -> String {
        let edges = lines.enumerated().map { index, line in
            #"{"node":{"lineNumber":\#(index + 1),"account":{"code":"\#(line.account)"},"businessPartner":{"code":"\#(line.partner)"},"sign":\#(line.sign),"transactionAmount":\#(line.amount),"lineDescription":"\#(line.description)"}}"#
        }
        return #"{"node":{"journalEntryType":{"code":"ODT"},"journalEntryNumber":"\#(number)","site":{"code":"\#(site)"},"accountingDate":"\#(date)","transactionCurrency":{"code":"EUR"},"journalEntryLines":{"query":{"edges":[\#(edges.joined(separator: ","))]}}}}"#
    }

    static func answer(_ nodes: [String]) -> HTTPExchange.Reply {
        HTTPExchange.Reply(status: 200, body: Array(#"{"data":{"x3Finance":{"journalEntry":{"query":{"edges":[\#(nodes.joined(separator: ","))]}}}}}"#.utf8))
    }

    static let expense = Line(account: "625100", sign: 1, amount: "312.00", description: "Air France")
    static func offset(_ description: String, amount: String = "312.00") -> Line {
        Line(account: "421000", sign: -1, amount: amount, partner: "EMP0042", description: description)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var nodes: [String]
        var found: [String]
    }

    static let cases: [Case] = [
        Case(testDescription: "its own entry", nodes: [node(number: "ODT-1", lines: [expense, offset("R00I7J3xs5fn Jane Doe")])], found: ["ODT-1"]),
        Case(testDescription: "a twin with equal lines but another report ID is not it",
             nodes: [node(number: "ODT-1", lines: [expense, offset("R00TWIN00001 Jane Doe")]), node(number: "ODT-2", lines: [expense, offset("R00I7J3xs5fn Jane Doe")])],
             found: ["ODT-2"]),
        Case(testDescription: "an ID that only starts with the report ID is not it",
             nodes: [node(number: "ODT-1", lines: [expense, offset("R00I7J3xs5fn2 Jane Doe")])], found: []),
        Case(testDescription: "amounts written with another scale are equal",
             nodes: [node(number: "ODT-1", lines: [Line(account: "625100", sign: 1, amount: "312"), offset("R00I7J3xs5fn Jane Doe", amount: "312.0")])], found: ["ODT-1"]),
        Case(testDescription: "each line once per ledger type still matches",
             nodes: [node(number: "ODT-1", lines: [expense, offset("R00I7J3xs5fn Jane Doe"), expense, offset("R00I7J3xs5fn Jane Doe")])], found: ["ODT-1"]),
        Case(testDescription: "a different amount is not it",
             nodes: [node(number: "ODT-1", lines: [Line(account: "625100", sign: 1, amount: "313.00"), offset("R00I7J3xs5fn Jane Doe", amount: "313.00")])], found: []),
        Case(testDescription: "a missing line is not it", nodes: [node(number: "ODT-1", lines: [offset("R00I7J3xs5fn Jane Doe")])], found: []),
        Case(testDescription: "another partner is not it",
             nodes: [node(number: "ODT-1", lines: [expense, Line(account: "421000", sign: -1, amount: "312.00", partner: "EMP0043", description: "R00I7J3xs5fn Jane Doe")])], found: []),
        Case(testDescription: "another site, even when the server ignored the filter, is not it",
             nodes: [node(number: "ODT-1", site: "US011", lines: [expense, offset("R00I7J3xs5fn Jane Doe")])], found: []),
        Case(testDescription: "nothing on that day", nodes: [], found: []),
    ]

    @Test(arguments: cases)
    func matches(case lookup: Case) throws {
        let found = try FingerprintLookup.matches(Self.answer(lookup.nodes), payload: try Self.payload(), redact: Redactor(secrets: []))
        #expect(found.map(\.entryNumber) == lookup.found)
        #expect(found.allSatisfy { $0.entryType == "ODT" && $0.reference == "R00I7J3xs5fn" })
    }

    @Test func theFilterAsksForTheSiteTypeAndDate() throws {
        #expect(FingerprintLookup.filter(try Self.payload()) == "{site: {code: 'FR011'}, journalEntryType: {code: 'ODT'}, accountingDate: '2026-10-30'}")
    }

    @Test func anAnswerThatCannotBeReadIsNeverAnEmptyList() throws {
        let payload = try Self.payload()
        for (status, body) in [(200, ""), (200, "<html>proxy</html>"), (200, #"{"data":{"x3Fin"#), (200, #"{"data":null}"#), (504, ""), (503, "")] as [(UInt, String)] {
            #expect(throws: LookupFailure.self) { try FingerprintLookup.matches(HTTPExchange.Reply(status: status, body: Array(body.utf8)), payload: payload, redact: Redactor(secrets: [])) }
        }
    }
}
