import Testing
@testable import LedgerDrop

@Suite("Configuration (SPEC §4)")
struct ConfigurationLoaderTests {
    func load(_ text: String) throws(LedgerDropError) -> Configuration {
        try ConfigurationLoader(file: "ledgerdrop.yml").parse(text)
    }

    @Test func theCommentedExampleLoadsWithEveryKey() throws {
        let c = try load(ExampleConfiguration.text)
        #expect(c.spool == ".")
        #expect(c.minFileAge == .seconds(2))
        #expect(c.expensify.reportStates == ["APPROVED", "REIMBURSED"])
        #expect(c.expensify.lookback == .seconds(3 * 86_400))
        #expect(c.expensify.schedule == .daily(hour: 6, minute: 0))
        // New configurations take the route every stock X3 has (SPEC §13.1).
        #expect(c.x3.api == .import && c.x3.auth == .basic && c.x3.lookupKind == .fingerprint)
        #expect(c.posting.offsetDescription == "{reportID} {employee}")
        #expect(c.x3.tokenLifetime == .seconds(300))
        #expect(c.x3.site == "FR011" && c.x3.entryType == "ODT" && c.x3.journal == "")
        #expect(c.x3.soap.publicName == "YGAS" && c.x3.soap.layout == SOAPLayout.standard && c.x3.soap.queryKey == "BPRVCR")
        #expect(c.x3.concurrency == 4 && c.x3.retries == 5 && c.x3.backoff == .seconds(2))
        #expect(c.posting.offset.reimbursable.account == "421000")
        #expect(c.posting.offset.nonReimbursable.businessPartner == "")
        #expect(c.mapping.categories["Airfare"]?.costCenter == "SALES")
        #expect(c.mapping.tags["PRJ-0042"]?.dimensions == ["PRJ": "PRJ-0042"])
        #expect(c.mapping.commentPatterns.map(\.dimension) == ["PRJ"])
        #expect(c.mapping.employees["jane.doe@acme.example"]?.businessPartner == "EMP0042")
        #expect(c.mapping.taxes["FR-VAT-20"]?.account == "445660")
        // The accounting rules of SPEC §13.4, as the example writes them.
        #expect(c.posting.offset.reimbursable.controlAccount == "EMP" && c.posting.totalCheck == .fail)
        #expect(c.mapping.taxes["FR-VAT-20"]?.code == "FRA20" && c.mapping.employeeFallback == .none)
    }

    @Test func readsTheAccountingRules() throws {
        let c = try load("""
            x3:
              site: A
              entryType: B
              openPeriods:
                - { from: 2026-12-01, to: 2026-12-31 }
                - { from: 2026-11-01, to: 2026-11-30 }
            posting:
              closedPeriod: next-open
              totalCheck: warn
              offset:
                reimbursable: { account: "421000", businessPartner: "{employee}", controlAccount: EMP }
                nonReimbursable: { account: "467100", controlAccount: CRD, perTransaction: true }
            mapping:
              employeeFallback: payrollID
              categories:
                Hotel: { account: "625600", recoverableTax: false }
                Meals: { account: "625700" }
              accountTaxCodes: { "625700": FRA10 }
            """)
        #expect(c.posting.totalCheck == .warn && c.posting.closedPeriod == .nextOpen)
        #expect(c.x3.openPeriods?.ranges.map(\.description) == ["2026-11-01 to 2026-11-30", "2026-12-01 to 2026-12-31"])
        #expect(c.posting.offset.reimbursable.controlAccount == "EMP" && !c.posting.offset.reimbursable.perTransaction)
        #expect(c.posting.offset.nonReimbursable.controlAccount == "CRD" && c.posting.offset.nonReimbursable.perTransaction)
        #expect(c.mapping.employeeFallback == .payrollID)
        #expect(c.mapping.categories["Hotel"]?.recoverableTax == false && c.mapping.categories["Meals"]?.recoverableTax == true)
        #expect(c.mapping.accountTaxCodes == ["625700": "FRA10"])
    }

    /// The commented x3.import block of the example, uncommented, is SPEC §13.2's default layout.
    @Test func theCommentedImportLayoutIsTheDefault() throws {
        var inBlock = false
        let text = ExampleConfiguration.text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.contains("# documentType:") { inBlock = true }
            defer { if line.contains("#   ledgerTypes:") { inBlock = false } }
            guard inBlock, let hash = line.firstIndex(of: "#") else { return String(line) }
            return String(line[..<hash]) + line[line.index(after: hash)...].dropFirst()
        }.joined(separator: "\n")
        #expect(text.contains("\n    template: YLDGAS\n"))
        let layout = try load(text).x3.importLayout
        let defaults = Configuration.Import()
        #expect(layout.header == defaults.header && layout.line == defaults.line && layout.analytics == defaults.analytics)
        #expect(layout.template == "YLDGAS" && layout.dateFormat == "DDMMYYYY" && layout.ledgerTypes == ["1"] && layout.lineEnding == .crlf)
        #expect(try load(text).x3.documentType == "STDCO" && load(text).x3.entryStatus == .final)
    }

    /// The commented x3.soap.layout of the example, uncommented, is SPEC §13.2's default layout.
    @Test func theCommentedObjectLayoutIsTheDefault() throws {
        var inBlock = false
        let text = ExampleConfiguration.text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.contains("# lookupKey:") { inBlock = true }
            defer { if line.contains("#   dimensions: { CCE1") { inBlock = false } }
            guard inBlock, let hash = line.firstIndex(of: "#") else { return String(line) }
            return String(line[..<hash]) + line[line.index(after: hash)...].dropFirst()
        }.joined(separator: "\n")
        #expect(text.contains("\n      table: HAE2_1"))
        let soap = try load(text).x3.soap
        #expect(soap.layout == SOAPLayout.standard)
        #expect(soap.lookupKey == "BPRVCR" && soap.queryKey == "BPRVCR")
    }

    @Test func anObjectLayoutIsReadInTheOrderWritten() throws {
        let c = try load("""
            x3:
              site: A
              entryType: B
              api: soap
              soap:
                layout:
                  groups:
                    ZGA1: { TYP: "{entryType}", DAT: "{accountingDate}", DEV: "{currency}" }
                    ZGA0: { REF: "RPT-{reference}", SRC: "{reference}" }
                  table: ZLIN
                  lines: { CPT: "{line.account}", SNS: "{line.sign}", MNT: "{line.amount}" }
                  dimensions: { AX3: PRJ }
            """)
        let layout = c.x3.soap.layout
        #expect(layout.groups.map(\.id) == ["ZGA1", "ZGA0"])
        #expect(layout.groups[0].fields.map(\.name) == ["TYP", "DAT", "DEV"])
        #expect(layout.lines.map(\.name) == ["CPT", "SNS", "MNT"] && layout.table == "ZLIN")
        #expect(layout.dimensions == [SOAPLayout.DimensionColumn(column: "AX3", type: "PRJ")])
        #expect(c.x3.soap.queryKey == "SRC")
    }

    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("2s", .seconds(2)), ("5m", .seconds(300)), ("1h", .seconds(3600)), ("3d", .seconds(259_200)),
    ])
    func readsDurations(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: ["2", "2 s", "s", "-1s", "1w", "1.5s"])
    func refusesOtherDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [
        ("every 15m", Schedule.every(.seconds(900))), ("daily 06:00", .daily(hour: 6, minute: 0)),
        ("weekly mon 07:30", .weekly(weekday: 1, hour: 7, minute: 30)),
    ])
    func readsSchedules(text: String, expected: Schedule) {
        #expect(Schedule(text) == expected)
    }

    /// A configuration error case, named by the words of its message (never by the YAML, which
    /// spans lines in the test log).
    struct Misconfiguration: Sendable, CustomTestStringConvertible {
        let yaml: String, line: Int, column: Int, words: String
        var testDescription: String { words }
    }

    static let misconfigurations: [Misconfiguration] = [
        .init(yaml: "x3: { site: A, entryType: B }\nspoool: .\n", line: 2, column: 1, words: "unknown key \"spoool\""),
        .init(yaml: "x3:\n  site: A\n  entryType: B\n  concurrency: many\n", line: 4, column: 16, words: "x3.concurrency must be a whole number"),
        .init(yaml: "x3:\n  site: A\n  entryType: B\nminFileAge: soon\n", line: 4, column: 13, words: "minFileAge must be a duration"),
        .init(yaml: "x3:\n  entryType: B\n", line: 2, column: 3, words: "missing required value x3.site"),
        .init(yaml: "x3: { site: A, entryType: B }\nposting:\n  offset:\n    reimbursable: { businessPartner: x }\n", line: 4, column: 19, words: "missing required value posting.offset.reimbursable.account"),
        .init(yaml: "x3: { site: A, entryType: B }\nmapping:\n  commentPatterns:\n    - { pattern: \"PRJ-[0-9\", dimension: PRJ }\n", line: 4, column: 18, words: "not a valid regular expression"),
        .init(yaml: "x3: { site: A, entryType: B, api: rest }\n", line: 1, column: 35, words: "x3.api"),
        .init(yaml: "x3: { site: A, entryType: B }\nmapping:\n  categories:\n    Meals: { acount: \"1\" }\n", line: 4, column: 14, words: "unknown key \"acount\""),
        .init(yaml: "x3: { site: A, entryType: B }\nexpensify:\n  schedule: hourly\n", line: 3, column: 13, words: "expensify.schedule"),
        .init(yaml: "x3: { site: A\n", line: 2, column: 1, words: "not valid YAML"),
        .init(yaml: "x3:\n  site: ~\n  entryType: B\n", line: 2, column: 9, words: "missing required value x3.site"),
        .init(yaml: "x3:\n  site: null\n  entryType: B\n", line: 2, column: 9, words: "missing required value x3.site"),
        .init(yaml: "x3:\n\tsite: A\n", line: 2, column: 1, words: "a tab character; YAML indents with spaces"),
        .init(yaml: "x3:\n  site: A\n  site: B\n  entryType: B\n", line: 2, column: 3, words: "\"site\" appears twice"),
        .init(yaml: "x3: { site: A, entryType: B }\nmapping:\n  categories:\n    Meals: { account: \"1\" }\n    Meals: { account: \"2\" }\n", line: 4, column: 5, words: "\"Meals\" appears twice"),
        .init(yaml: "x3:\n  site: A\n  entryType: B\n  graphql:\n    variables:\n      data: { account: \"{line.account}\", lines: [ { a: \"{line.amount}\" } ] }\n", line: 6, column: 24, words: "x3.graphql.variables.data.account is outside the repeated line item"),
        .init(yaml: "x3:\n  site: A\n  entryType: B\n  graphql:\n    variables:\n      data: { cur: \"{currency}\", lines: [ { a: \"{line.acount}\" } ] }\n", line: 6, column: 49, words: "unknown placeholder {line.acount}"),
        .init(yaml: "x3:\n  site: A\n  entryType: B\n  graphql:\n    variables:\n      data: { cur: \"{currency}\", lines: [ { a: \"{line.account}\" } ] }\n", line: 6, column: 7, words: "x3.graphql.variables lacks a value holding {accountingDate}"),
        .init(yaml: "x3:\n  site: A\n  entryType: B\n  soap:\n    headerGroup: GAS0_1\n", line: 5, column: 18, words: "x3.soap.headerGroup is replaced by x3.soap.layout"),
        .init(yaml: "x3:\n  site: A\n  entryType: B\n  soap:\n    layout:\n      lines: { ACC1: \"{line.acount}\" }\n", line: 6, column: 23, words: "unknown placeholder {line.acount}"),
        .init(yaml: "x3:\n  site: A\n  entryType: B\n  soap:\n    layout:\n      groups:\n        HAE0_1: { ACCDAT: \"{accountingDate}\", ACC: \"{line.account}\" }\n", line: 7, column: 52, words: "cannot use the line placeholder {line.account}"),
        .init(yaml: "x3:\n  site: A\n  entryType: B\n  soap:\n    layout:\n      groups:\n        HAE0_1: { CUR: \"{currency}\", BPRVCR: \"{reference}\" }\n", line: 6, column: 7, words: "lacks a header field holding {accountingDate}"),
        .init(yaml: "x3:\n  site: A\n  entryType: B\n  soap:\n    layout:\n      dimensions: { CCE1: \"C-T\" }\n", line: 6, column: 27, words: "\"C-T\" is not a dimension type code"),
        .init(yaml: "x3: { site: A, entryType: B }\nposting:\n  offset:\n    reimbursable: { account: \"421000\", perTransaction: true }\n    nonReimbursable: { account: \"467100\" }\n", line: 4, column: 40, words: "unknown key \"perTransaction\""),
        .init(yaml: "x3: { site: A, entryType: B }\nposting:\n  closedPeriod: next-open\n", line: 3, column: 17, words: "next-open needs the open periods: x3.url"),
        .init(yaml: "x3:\n  site: A\n  entryType: B\n  openPeriods: [ { from: 2026-12-31, to: 2026-12-01 } ]\n", line: 4, column: 18, words: "from not after to"),
        .init(yaml: "x3: { site: A, entryType: B }\nposting:\n  totalCheck: strict\n", line: 3, column: 15, words: "posting.totalCheck (fail | warn | off)"),
        .init(yaml: "x3: { site: A, entryType: B }\nmapping:\n  employeeFallback: email\n", line: 3, column: 21, words: "mapping.employeeFallback (none | payrollID)"),
    ]

    @Test(arguments: misconfigurations)
    func reportsFileLineAndColumn(_ bad: Misconfiguration) {
        #expect {
            try load(bad.yaml)
        } throws: { error in
            guard let error = error as? LedgerDropError, error.code == .configInvalid else { return false }
            let place = "ledgerdrop.yml:\(bad.line):\(bad.column)"
            return error.problems.contains { $0.message.contains(place) && $0.message.contains(bad.words) }
                || error.message.contains(place) && error.message.contains(bad.words)
        }
    }

    @Test(arguments: ["empty": "", "blank lines": "\n\n", "a comment": "# only a comment\n", "a document marker": "---\n", "a marker and a comment": "---\n# comments\n"])
    func anEmptyConfigurationIsInvalid(name: String, text: String) {
        #expect { try load(text) } throws: { ($0 as? LedgerDropError)?.code == .configInvalid }
    }

    @Test func aQuotedTildeIsAValueNotNull() throws {
        #expect(try load("x3: { site: \"~\", entryType: B }\n").x3.site == "~")
    }

    @Test func reportsEveryProblemAtOnce() {
        #expect {
            try load("x3: { site: A, entryType: B, retries: x }\nfoo: 1\nbar: 2\n")
        } throws: { ($0 as? LedgerDropError)?.problems.count == 3 }
    }

    @Test func aConfigurationWithoutAnAPIKeepsGraphQLAndItsLookupFollowsTheRoute() throws {
        let graphql = try load("x3: { site: A, entryType: B }\n")
        #expect(graphql.x3.api == .graphql && graphql.x3.lookupKind == .reference)
        let imports = try load("x3: { site: A, entryType: B, api: import }\n")
        #expect(imports.x3.auth == .basic && imports.x3.lookupKind == .fingerprint)
        let query = "query Mine($filter: String) { x3Finance { journalEntry { query(filter: $filter) { edges { node { journalEntryNumber } } } } } }"
        let custom = try load("x3: { site: A, entryType: B, api: import, graphql: { lookup: \"\(query)\" } }\n")
        #expect(custom.x3.graphql.fingerprintLookup == query && custom.x3.graphql.lookup == Configuration.GraphQL.defaultLookup)
        let byReference = try load("x3: { site: A, entryType: B, api: import, lookup: reference }\n")
        #expect(byReference.x3.lookupKind == .reference)
        #expect(throws: LedgerDropError.self) { try load("x3: { site: A, entryType: B, api: import, auth: oauth2 }\n") }
    }

    @Test func acceptsApi1AsSOAPAndDefaultsItsAuth() throws {
        let c = try load("x3: { site: A, entryType: B, api: api1 }\n")
        #expect(c.x3.api == .soap && c.x3.auth == .basic)
    }

    @Test func mutationNamesItsOperation() throws {
        let c = try load("x3:\n  site: A\n  entryType: B\n  graphql:\n    mutation: \"mutation MyPost($data: JE!) { x }\"\n")
        #expect(c.x3.graphql.mutationOperationName == "MyPost")
    }
}
