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
        #expect(c.x3.api == .graphql && c.x3.auth == .connectedApp)
        #expect(c.x3.tokenLifetime == .seconds(300))
        #expect(c.x3.site == "FR011" && c.x3.entryType == "ODT" && c.x3.journal == "")
        #expect(c.x3.soap.publicName == "YGAS" && c.x3.soap.linesTable == "GAS1_1")
        #expect(c.x3.concurrency == 4 && c.x3.retries == 5 && c.x3.backoff == .seconds(2))
        #expect(c.posting.offset.reimbursable.account == "421000")
        #expect(c.posting.offset.nonReimbursable.businessPartner == "")
        #expect(c.mapping.categories["Airfare"]?.costCenter == "SALES")
        #expect(c.mapping.tags["PRJ-0042"]?.dimensions == ["PRJ": "PRJ-0042"])
        #expect(c.mapping.commentPatterns.map(\.dimension) == ["PRJ"])
        #expect(c.mapping.employees["jane.doe@acme.example"]?.businessPartner == "EMP0042")
        #expect(c.mapping.taxes["FR-VAT-20"]?.account == "445660")
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

    @Test(arguments: [
        // (yaml, line, column, words of the message)
        ("x3: { site: A, entryType: B }\nspoool: .\n", 2, 1, "unknown key \"spoool\""),
        ("x3:\n  site: A\n  entryType: B\n  concurrency: many\n", 4, 16, "x3.concurrency must be a whole number"),
        ("x3:\n  site: A\n  entryType: B\nminFileAge: soon\n", 4, 13, "minFileAge must be a duration"),
        ("x3:\n  entryType: B\n", 2, 3, "missing required value x3.site"),
        ("x3: { site: A, entryType: B }\nposting:\n  offset:\n    reimbursable: { businessPartner: x }\n", 4, 19, "missing required value posting.offset.reimbursable.account"),
        ("x3: { site: A, entryType: B }\nmapping:\n  commentPatterns:\n    - { pattern: \"PRJ-[0-9\", dimension: PRJ }\n", 4, 18, "not a valid regular expression"),
        ("x3: { site: A, entryType: B, api: rest }\n", 1, 35, "x3.api"),
        ("x3: { site: A, entryType: B }\nmapping:\n  categories:\n    Meals: { acount: \"1\" }\n", 4, 14, "unknown key \"acount\""),
        ("x3: { site: A, entryType: B }\nexpensify:\n  schedule: hourly\n", 3, 13, "expensify.schedule"),
        ("x3: { site: A\n", 2, 1, "not valid YAML"),
        ("x3:\n  site: ~\n  entryType: B\n", 2, 9, "missing required value x3.site"),
        ("x3:\n  site: null\n  entryType: B\n", 2, 9, "missing required value x3.site"),
        ("x3:\n\tsite: A\n", 2, 1, "a tab character; YAML indents with spaces"),
        ("x3:\n  site: A\n  site: B\n  entryType: B\n", 2, 3, "\"site\" appears twice"),
        ("x3: { site: A, entryType: B }\nmapping:\n  categories:\n    Meals: { account: \"1\" }\n    Meals: { account: \"2\" }\n", 4, 5, "\"Meals\" appears twice"),
    ])
    func reportsFileLineAndColumn(yaml: String, line: Int, column: Int, words: String) {
        #expect {
            try load(yaml)
        } throws: { error in
            guard let error = error as? LedgerDropError, error.code == .configInvalid else { return false }
            return error.problems.contains { $0.message.contains("ledgerdrop.yml:\(line):\(column)") && $0.message.contains(words) }
                || error.message.contains("ledgerdrop.yml:\(line):\(column)") && error.message.contains(words)
        }
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n", "---\n", "---\n# comments\n"])
    func anEmptyConfigurationIsInvalid(text: String) {
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

    @Test func acceptsApi1AsSOAPAndDefaultsItsAuth() throws {
        let c = try load("x3: { site: A, entryType: B, api: api1 }\n")
        #expect(c.x3.api == .soap && c.x3.auth == .basic)
    }

    @Test func mutationNamesItsOperation() throws {
        let c = try load("x3:\n  site: A\n  entryType: B\n  graphql:\n    mutation: \"mutation MyPost($data: JE!) { x }\"\n")
        #expect(c.x3.graphql.mutationOperationName == "MyPost")
    }
}
