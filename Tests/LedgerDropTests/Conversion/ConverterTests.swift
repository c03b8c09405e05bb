import Testing
@testable import LedgerDrop

@Suite("Converter rules (SPEC §5)")
struct ConverterTests {
    let configuration: Configuration
    init() throws { configuration = try Fixtures.configuration() }

    func convert(_ report: Report, _ change: (inout Configuration) -> Void = { _ in }) -> Converter.Outcome {
        var configuration = configuration
        change(&configuration)
        return Converter(configuration: configuration).convert(report)
    }

    @Test func oneEntryPerDateKeyedByReportIDAndDate() throws {
        let outcome = convert(try makeReport([["created": "2026-10-29"], ["created": "2026-10-28"], ["created": "2026-10-29"]]))
        #expect(outcome.entries.map(\.key.value) == ["R1_2026-10-28", "R1_2026-10-29"])
        #expect(outcome.entries.map { $0.lines.count } == [2, 3])
        #expect(outcome.entries.allSatisfy { $0.isBalanced })
    }

    @Test func oneDateKeepsTheReportIDAsKey() throws {
        #expect(convert(try makeReport([[:], [:]])).entries.map(\.key.value) == ["R1"])
    }

    @Test(arguments: [(Configuration.Posting.DatePolicy.approved, "2026-11-02"), (.submitted, "2026-11-01")])
    func approvedOrSubmittedDateMakesOneEntry(policy: Configuration.Posting.DatePolicy, day: String) throws {
        let outcome = convert(try makeReport([["created": "2026-10-29"], ["created": "2026-10-28"]])) { $0.posting.date = policy }
        #expect(outcome.entries.map(\.key.value) == ["R1"])
        #expect(outcome.entries.first?.accountingDate.description == day)
    }

    @Test func expenseCurrencyPolicySplitsByCurrency() throws {
        let report = try makeReport([["currency": "USD", "amount": 1000, "convertedAmount": 900], ["amount": 500]])
        let outcome = convert(report) { $0.posting.currency = .expense }
        #expect(outcome.entries.map(\.key.value) == ["R1_2026-10-30_EUR", "R1_2026-10-30_USD"])
        #expect(outcome.entries.map(\.currency.code) == ["EUR", "USD"])
        #expect(outcome.entries.last?.debitTotal == 1000)
        // In the report currency the same report is one entry at the converted amount.
        #expect(convert(report).entries.map { $0.debitTotal } == [1400])
    }

    struct OffsetText: Sendable, CustomTestStringConvertible {
        var name: String
        var template: String
        var employee: String
        var expected: String
        var testDescription: String { name }
    }

    /// SPEC §13.5: the report ID in the offset line's text is what tells two reports with equal
    /// lines apart, so a cut to 30 characters never splits it.
    @Test(arguments: [
        OffsetText(name: "default", template: "{reportID} {employee}", employee: "Jane Doe", expected: "R1 Jane Doe"),
        OffsetText(name: "long name cut after the ID", template: "{reportID} {employee}", employee: "Maximiliana Fernández-Oyarzábal", expected: "R1 Maximiliana Fernández-Oyarz"),
        OffsetText(name: "ID last, pushed out by a long name", template: "{employee} {reportID}", employee: "Maximiliana Fernández-Oyarzábal", expected: "R1"),
        OffsetText(name: "no ID in the template", template: "{employee}", employee: "Jane Doe", expected: "Jane Doe"),
    ])
    func offsetLinesCarryTheReportIDWhole(case offset: OffsetText) throws {
        let report = try makeReport([["amount": 1000], ["amount": 500, "reimbursable": false]])
        var withName = report
        withName.submitterName = offset.employee
        let entry = try #require(convert(withName) { $0.posting.offsetDescription = offset.template }.entries.first)
        let offsets = entry.lines.filter { ["421000", "467100"].contains($0.account) }
        #expect(offsets.count == 2)
        #expect(offsets.allSatisfy { $0.description == offset.expected })
    }

    @Test func refundIsACredit() throws {
        let entry = try #require(convert(try makeReport([["amount": 5000], ["amount": -1200, "category": "Airfare"]])).entries.first)
        #expect(entry.lines.map(\.side) == [.debit, .credit, .credit])
        #expect(entry.lines.map(\.amount) == [5000, 1200, 3800])
    }

    @Test func refundOnlyReportDebitsTheEmployee() throws {
        let entry = try #require(convert(try makeReport([["amount": -1200]])).entries.first)
        #expect(entry.lines.map(\.side) == [.credit, .debit])
        #expect(entry.lines.last?.account == "421000")
    }

    @Test(arguments: [
        // (category, GL code, useExpensifyGLCodes, expected account or nil for UNMAPPED_CATEGORY)
        ("Airfare", "999999", true, "625100"),
        ("Conferences", "625800", true, "625800"),
        ("Conferences", "625800", false, nil),
        ("Conferences", "", true, nil),
        ("Hotel", "", true, "625600"),
    ] as [(String, String, Bool, String?)])
    func resolvesAccounts(category: String, glCode: String, useGLCodes: Bool, expected: String?) throws {
        let outcome = convert(try makeReport([["category": category, "categoryGlCode": glCode]])) { $0.mapping.useExpensifyGLCodes = useGLCodes }
        if let expected {
            #expect(outcome.entries.first?.lines.first?.account == expected)
        } else {
            #expect(outcome.problems.map(\.code) == [.unmappedCategory])
            #expect(outcome.problems.first?.path == "$.transactions[0].category")
        }
    }

    @Test(arguments: [
        // (tag, comment, category, email, expected dimensions)
        ("PRJ-0042", "for PRJ-9999", "Airfare", "jane.doe@acme.example", "CCT=CONSULT PRJ=PRJ-0042"),
        ("", "for PRJ-0107 and PRJ-0200", "Airfare", "jane.doe@acme.example", "CCT=SALES PRJ=PRJ-0107"),
        ("", "prj-0107", "Meals", "jane.doe@acme.example", "CCT=SALES"),
        ("", "", "Meals", "JANE.DOE@acme.example", "CCT=SALES"),
        ("", "", "Meals", "li.wei@acme.example", "CCT=ASIA"),
        ("", "", "Meals", "nobody@acme.example", "CCT=HQ"),
        ("Marketing", "", "Software", "nobody@acme.example", "CCT=MKT PRJ=PRJ-IT01"),
        ("Unknown tag", "", "Office Supplies", "li.wei@acme.example", "CCT=ADMIN"),
        ("", "Team &lt;lunch&gt; PRJ-0042", "Meals", "nobody@acme.example", "CCT=HQ PRJ=PRJ-0042"),
    ])
    func dimensionPrecedence(tag: String, comment: String, category: String, email: String, expected: String) throws {
        let outcome = convert(try makeReport(email: email, [["tag": tag, "comment": comment, "category": category]])) { $0.mapping.employeeFallback = .payrollID }
        let dimensions = outcome.entries.first?.lines.first?.dimensions.map { "\($0.type)=\($0.value)" }.joined(separator: " ")
        #expect(dimensions == expected)
    }

    @Test func emptyDefaultsGiveNoDimension() throws {
        let outcome = convert(try makeReport(email: "nobody@acme.example", [["category": "Meals"]])) {
            $0.mapping.defaults.costCenter = ""
            $0.mapping.employeeFallback = .payrollID
        }
        #expect(outcome.entries.first?.lines.first?.dimensions == [])
    }

    @Test func recoverableTaxIsSplitOffOnTheSameSide() throws {
        let entry = try #require(convert(try makeReport([
            ["amount": 12000, "taxCode": "FR-VAT-20", "taxAmount": 2000],
            ["amount": -6000, "taxCode": "FR-VAT-20", "taxAmount": -1000],
            ["amount": 1800, "taxCode": "OTHER", "taxAmount": 300],
        ])).entries.first)
        #expect(entry.lines.map(\.account) == ["625700", "445660", "625700", "445660", "625700", "421000"])
        #expect(entry.lines.map(\.side) == [.debit, .debit, .credit, .credit, .debit, .credit])
        #expect(entry.lines.map(\.amount) == [10000, 2000, 5000, 1000, 1800, 7800])
        // The tax line carries the expense's tax code too: the VAT return reads it from the lines.
        #expect(entry.lines.map(\.tax) == ["FRA20", "FRA20", "FRA20", "FRA20", "", ""])
        #expect(entry.lines[1].dimensions.isEmpty)
    }

    @Test func aCategoryThatRefusesRecoveryKeepsTheGrossOnItsAccount() throws {
        let report = try makeReport([["amount": 12000, "category": "Hotel", "taxCode": "FR-VAT-20", "taxAmount": 2000], ["amount": 1200, "taxCode": "FR-VAT-20", "taxAmount": 200]])
        let outcome = convert(report) { $0.mapping.categories["Hotel"]?.recoverableTax = false }
        let entry = try #require(outcome.entries.first)
        #expect(entry.lines.map(\.account) == ["625600", "625700", "445660", "421000"])
        #expect(entry.lines.map(\.amount) == [12000, 1000, 200, 13200])
        #expect(entry.lines.map(\.tax) == ["FRA20", "FRA20", "FRA20", ""])
        #expect(entry.isBalanced)
    }

    @Test(arguments: [
        // (account's default code, tax mapping's code, expected code on the expense line)
        ("EXO", "", "EXO"), ("EXO", "FRA10", "FRA10"), ("", "", ""),
    ])
    func accountTaxCodesFillWhatTheTaxMappingLeaves(accountCode: String, mappedCode: String, expected: String) throws {
        let outcome = convert(try makeReport([["amount": 1200, "taxCode": "FR-VAT-20", "taxAmount": 200], ["amount": 500, "category": "Taxi"]])) {
            $0.mapping.taxes["FR-VAT-20"]?.code = mappedCode
            if !accountCode.isEmpty { $0.mapping.accountTaxCodes = ["625700": accountCode, "625130": accountCode] }
        }
        let entry = try #require(outcome.entries.first)
        #expect(entry.lines.map(\.tax) == [expected, expected, accountCode, ""])
    }

    @Test func taxOnAForeignExpenseIsConvertedInProportion() throws {
        let entry = try #require(convert(try makeReport([["currency": "USD", "amount": 12000, "convertedAmount": 11000, "taxCode": "FR-VAT-20", "taxAmount": 2000]])).entries.first)
        // 2000 × 11000 / 12000 = 1833.33 → 18.33; net = 110.00 − 18.33
        #expect(entry.lines.map(\.amount) == [9167, 1833, 11000])
    }

    @Test func taxLargerThanTheAmountIsRefused() throws {
        let outcome = convert(try makeReport([["amount": 100, "taxCode": "FR-VAT-20", "taxAmount": 200]]))
        #expect(outcome.problems.map(\.code) == [.invalidReport])
    }

    @Test func reimbursableAndCardExpensesHaveTheirOwnOffsets() throws {
        let entry = try #require(convert(try makeReport([["amount": 1000, "reimbursable": false], ["amount": 250], ["amount": 300, "reimbursable": false]])).entries.first)
        let offsets = entry.lines.suffix(2)
        #expect(offsets.map(\.account) == ["421000", "467100"])
        #expect(offsets.map(\.amount) == [250, 1300])
        #expect(offsets.map(\.businessPartner) == ["EMP0042", ""])
    }

    @Test(arguments: [
        // (email, payroll ID, mapping.employeeFallback, the offset's BP, or nil for UNMAPPED_EMPLOYEE)
        ("jane.doe@acme.example", "EMP-0042", Configuration.EmployeeFallback.none, "EMP0042"),
        ("jane.doe@acme.example", "EMP-0042", .payrollID, "EMP0042"),
        ("nobody@acme.example", "EMP-0099", .none, nil),
        ("nobody@acme.example", "EMP-0099", .payrollID, "EMP-0099"),
        ("nobody@acme.example", "", .payrollID, nil),
    ] as [(String, String, Configuration.EmployeeFallback, String?)])
    func employeeBusinessPartner(email: String, payrollID: String, fallback: Configuration.EmployeeFallback, expected: String?) throws {
        let outcome = convert(try makeReport(email: email, payrollID: payrollID, [[:]])) { $0.mapping.employeeFallback = fallback }
        if let expected {
            #expect(outcome.entries.first?.lines.last?.businessPartner == expected)
            #expect(outcome.entries.first?.lines.last?.controlAccount == "EMP")
        } else {
            #expect(outcome.problems.map(\.code) == [.unmappedEmployee])
            #expect(outcome.problems.first?.path == "$.accountEmail")
            #expect(outcome.problems.first?.message.contains("nobody@acme.example") == true)
            #expect(outcome.entries.isEmpty)
        }
    }

    @Test(arguments: [
        // (reimbursable amounts, card amounts, UNMAPPED_EMPLOYEE expected)
        ([1000], [], true),
        ([], [1000], false),
        ([1000, -1000], [500], false),
    ])
    func anUnmappedEmployeeMattersOnlyWhereTheyAreOwedSomething(reimbursable: [Int], card: [Int], refused: Bool) throws {
        let lines = reimbursable.map { ["amount": $0] as [String: Any] } + card.map { ["amount": $0, "reimbursable": false] as [String: Any] }
        let outcome = convert(try makeReport(email: "nobody@acme.example", lines))
        #expect(outcome.problems.contains { $0.code == .unmappedEmployee } == refused)
    }

    @Test func cardLinesPerTransactionMeetTheCardStatement() throws {
        let report = try makeReport([["amount": 1000, "reimbursable": false, "merchant": "Hertz"], ["amount": 250], ["amount": 300, "reimbursable": false, "merchant": "Shell"]])
        let summed = try #require(convert(report).entries.first)
        #expect(summed.lines.filter { $0.account == "467100" }.map(\.amount) == [1300])
        let perCard = convert(report) { $0.posting.offset.nonReimbursable.perTransaction = true }
        let each = try #require(perCard.entries.first)
        let cards = each.lines.filter { $0.account == "467100" }
        #expect(cards.map(\.amount) == [1000, 300])
        #expect(cards.map(\.description) == ["Hertz", "Shell"])
        #expect(cards.allSatisfy { $0.side == .credit })
        #expect(each.isBalanced && each.lines.count == 6)
    }

    @Test(arguments: [
        // (report total, expenses (amount, converted amount, currency), TOTAL_MISMATCH expected)
        (2500 as Int64?, [(1000, 0, "EUR"), (1500, 0, "EUR")], false),
        (-2500, [(1000, 0, "EUR"), (1500, 0, "EUR")], false),
        (2501, [(1000, 0, "EUR"), (1500, 0, "EUR")], true),
        (nil, [(1000, 0, "EUR")], false),
        (1101, [(1200, 1100, "USD")], false),
        (1102, [(1200, 1100, "USD")], true),
        (1200, [(1200, 1100, "USD")], true),
    ] as [(Int64?, [(Int, Int, String)], Bool)])
    func theTotalIsCheckedAgainstTheLines(total: Int64?, expenses: [(Int, Int, String)], mismatch: Bool) throws {
        var report = try makeReport(expenses.map { ["amount": $0.0, "convertedAmount": $0.1, "currency": $0.2] })
        report.total = total
        let failing = convert(report)
        #expect(failing.problems.map(\.code) == (mismatch ? [.totalMismatch] : []))
        #expect(failing.problems.first?.path == (mismatch ? "$.total" : nil))
        let warned = convert(report) { $0.posting.totalCheck = .warn }
        #expect(warned.entries.count == 1 && warned.problems.isEmpty)
        #expect(warned.warnings.map(\.code) == (mismatch ? [.totalMismatch] : []))
        let off = convert(report) { $0.posting.totalCheck = .off }
        #expect(off.entries.count == 1 && off.warnings.isEmpty)
    }

    static func periods(_ ranges: [(String, String)]) -> OpenPeriods {
        OpenPeriods(ranges.map { OpenPeriods.Range(from: Day($0.0)!, to: Day($0.1)!) })
    }

    @Test(arguments: [
        // (expense date, policy, expected accounting date, or nil for PERIOD_CLOSED)
        ("2026-11-05", Configuration.ClosedPeriod.fail, "2026-11-05" as String?),
        ("2026-11-05", .nextOpen, "2026-11-05"),
        ("2026-10-30", .fail, nil),
        ("2026-10-30", .nextOpen, "2026-11-01"),
        ("2026-09-15", .nextOpen, "2026-11-01"),
        ("2027-01-04", .nextOpen, nil),
    ] as [(String, Configuration.ClosedPeriod, String?)])
    func aClosedPeriodFailsOrMovesToTheNextOpenOne(date: String, policy: Configuration.ClosedPeriod, expected: String?) throws {
        let outcome = convert(try makeReport([["created": date]])) {
            $0.posting.closedPeriod = policy
            $0.x3.openPeriods = Self.periods([("2026-11-01", "2026-11-30"), ("2026-12-01", "2026-12-31")])
        }
        if let expected {
            let entry = try #require(outcome.entries.first)
            #expect(entry.accountingDate.description == expected)
            #expect(entry.sourceDate.description == date, "the expense date stays the entry's source date")
            #expect(entry.movedToOpenPeriod == (expected != date))
            #expect(entry.key.value == "R1")
        } else {
            #expect(outcome.problems.map(\.code) == [.periodClosed])
            #expect(outcome.problems.first?.message.contains("open: 2026-11-01 to 2026-11-30, 2026-12-01 to 2026-12-31") == true)
        }
    }

    @Test func withoutKnownPeriodsAClosedPeriodIsLeftToX3() throws {
        let outcome = convert(try makeReport([["created": "2020-01-01"]])) { $0.posting.closedPeriod = .fail }
        #expect(outcome.entries.first?.accountingDate.description == "2020-01-01")
    }

    @Test(arguments: [
        // (open, closed, the open ranges)
        ([("2026-01-01", "2026-12-31")], [("2026-03-01", "2026-03-31")], [("2026-01-01", "2026-02-28"), ("2026-04-01", "2026-12-31")]),
        ([("2026-01-01", "2026-06-30")], [("2025-01-01", "2025-12-31")], [("2026-01-01", "2026-06-30")]),
        ([("2026-01-01", "2026-01-31")], [("2026-01-01", "2026-01-31")], []),
    ])
    func theServersPeriodsAreOpenWhereNoneIsClosed(open: [(String, String)], closed: [(String, String)], expected: [(String, String)]) {
        let periods = OpenPeriods(open: Self.periods(open).ranges, closed: Self.periods(closed).ranges)
        #expect(periods == Self.periods(expected))
    }

    @Test func foreignExpenseWithoutConversionIsRefusedNotPostedAtZero() throws {
        let outcome = convert(try makeReport([["currency": "USD", "amount": 1000, "convertedAmount": 0, "currencyConversionRate": 0]]))
        #expect(outcome.problems.map(\.code) == [.invalidReport])
        #expect(outcome.entries.isEmpty)
    }

    @Test func zeroSumAndNoTransactionsAreEmptyReports() throws {
        #expect(convert(try makeReport([["amount": 1000], ["amount": -1000]])).problems.map(\.code) == [.emptyReport])
        #expect(convert(try makeReport([])).problems.map(\.code) == [.emptyReport])
        #expect(convert(try makeReport(currency: "JPY", [["amount": 40]])).problems.map(\.code) == [.emptyReport])
    }

    @Test func everyProblemOfAReportIsCollected() throws {
        let outcome = convert(try makeReport([["category": "Nope1"], ["currency": "USD", "amount": 10], ["category": "Nope2"]]))
        #expect(outcome.problems.map(\.code) == [.unmappedCategory, .invalidReport, .unmappedCategory])
        #expect(outcome.problems.map(\.path) == ["$.transactions[0].category", "$.transactions[1].convertedAmount", "$.transactions[2].category"])
    }

    @Test func descriptionsFollowTemplatesAndFieldLengths() throws {
        let report = try makeReport([["merchant": "An extraordinarily long merchant name for a taxi ride", "comment": "line1\nline2"]])
        let entry = try #require(convert(report) {
            $0.posting.description = "{reportID} {employee} {unknown}"
            $0.posting.lineDescription = "{comment}"
        }.entries.first)
        #expect(entry.description == "R1 Jane Doe {unknown}")
        #expect(entry.lines[0].description == "line1 line2")
        #expect(entry.reference == "R1")
        let long = try #require(convert(report).entries.first)
        #expect(long.lines[0].description == "An extraordinarily long mercha")
        #expect(long.lines[0].description.count == 30)
    }

    @Test func everyFixtureEntryBalances() throws {
        for name in try Fixtures.reportNames() {
            let file = ReportFile.read(try Fixtures.bytes("reports/\(name)"))
            for entry in file.entries {
                let outcome = Converter(configuration: configuration).convert(entry.report, at: entry.path)
                #expect(outcome.problems.isEmpty, "\(name): \(outcome.problems)")
                for journalEntry in outcome.entries {
                    #expect(journalEntry.isBalanced, "\(name) \(journalEntry.key)")
                    #expect(journalEntry.debitTotal > 0)
                }
            }
        }
    }
}

extension ConverterTests {
    /// Two companies over the fixture configuration: FR (by policy ID) and US (by name, with its
    /// own Meals account and payable).
    func withCompanies(_ configuration: inout Configuration) {
        var fr = Configuration.Company(name: "FR", site: "FR011", entryType: "ODT", journal: "", mapping: configuration.mapping, offset: configuration.posting.offset)
        fr.policyIDs = ["P-EU"]
        fr.currencies = ["EUR"]
        var us = Configuration.Company(name: "US", site: "US011", entryType: "USODT", journal: "USJ", mapping: configuration.mapping, offset: configuration.posting.offset)
        us.policyNames = ["Acme US"]
        us.mapping.categories["Meals"] = Configuration.AccountRule(account: "625710")
        us.offset.reimbursable.account = "421100"
        configuration.companies = [fr, us]
    }

    func report(policyID: String, policyName: String, currency: String = "EUR") throws -> Report {
        var report = try makeReport(currency: currency, [["category": "Meals", "currency": currency]])
        report.policyID = policyID
        report.policyName = policyName
        return report
    }

    @Test func eachCompanyConvertsWithItsOwnSiteAndOverlay() throws {
        let fr = convert(try report(policyID: "P-EU", policyName: "Acme EU"), withCompanies)
        let frEntry = try #require(fr.entries.first)
        #expect(frEntry.company == "FR" && frEntry.site == "FR011" && frEntry.entryType == "ODT")
        #expect(frEntry.lines.map(\.account) == ["625700", "421000"])
        let us = convert(try report(policyID: "P-9", policyName: "ACME US"), withCompanies)
        let usEntry = try #require(us.entries.first)
        #expect(usEntry.company == "US" && usEntry.site == "US011" && usEntry.entryType == "USODT" && usEntry.journal == "USJ")
        #expect(usEntry.lines.map(\.account) == ["625710", "421100"])
        #expect(usEntry.lines.last?.controlAccount == "EMP", "not overlaid: the top level's code")
        #expect(usEntry.isBalanced)
        // Without companies, the same report is the top level's.
        #expect(convert(try report(policyID: "P-9", policyName: "ACME US")).entries.first?.company == "")
    }

    @Test func aPolicyOfNoCompanyIsUnmappedPolicy() throws {
        let outcome = convert(try report(policyID: "P-ASIA", policyName: "Acme Asia"), withCompanies)
        #expect(outcome.entries.isEmpty)
        #expect(outcome.problems.map(\.code) == [.unmappedPolicy] && outcome.problems.first?.path == "$.policyID")
        #expect(outcome.problems.first?.message.contains("P-ASIA \"Acme Asia\"") == true)
        let none = convert(try report(policyID: "", policyName: ""), withCompanies)
        #expect(none.problems.map(\.code) == [.unmappedPolicy])
    }

    @Test func aCompanyRefusesEntriesInACurrencyItDoesNotTake() throws {
        let outcome = convert(try report(policyID: "P-EU", policyName: "", currency: "USD"), withCompanies)
        #expect(outcome.entries.isEmpty && outcome.problems.map(\.code) == [.invalidReport])
        #expect(outcome.problems.first?.message.contains("companies.FR takes entries in EUR, not USD") == true)
        // US lists no currencies: any.
        #expect(convert(try report(policyID: "", policyName: "Acme US", currency: "GBP"), withCompanies).problems.isEmpty)
    }
}
