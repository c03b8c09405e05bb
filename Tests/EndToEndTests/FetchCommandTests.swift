import Foundation
import LedgerDrop
import LedgerDropSandbox
import Testing

extension EndToEnd {
    @Suite("ledgerdrop fetch against the Expensify sandbox", .serialized)
    struct FetchCommandTests {
        static let today = Day.utc(nanoseconds: Timestamp.now())

        /// A report as the export template renders it; its expense is dated in an open X3 period.
        static func report(_ id: String, approved: Day?, status: String = "Approved", name: String = "Trip", amount: Int = 1250) -> String {
            """
            {"reportID": "\(id)", "reportName": "\(name)", "status": "\(status)", "policyID": "F0D3B1A2C4E5F607", "policyName": "Acme EU",
             "currency": "EUR", "total": \(amount), "approved": "\(approved.map { "\($0) 09:30:00" } ?? "")", "accountEmail": "jane.doe@acme.example",
             "transactions": [{"transactionID": "40563430492756\(id.count)\(amount)", "created": "2026-10-30", "modifiedCreated": "", "merchant": "Café \\"Le Zinc\\"",
               "modifiedMerchant": "", "amount": \(amount), "modifiedAmount": 0, "currency": "EUR", "convertedAmount": \(amount), "currencyConversionRate": 1,
               "category": "Meals", "categoryGlCode": "625700", "tag": "", "tagGlCode": "", "comment": "", "reimbursable": true, "billable": false,
               "taxAmount": 0, "modifiedTaxAmount": 0, "taxCode": "", "taxName": "", "receiptURL": ""}]}
            """
        }

        static func reports(_ list: [String]) throws -> [ExpensifyReport] {
            try ExpensifyReport.parse(Array("[\(list.joined(separator: ","))]".utf8))
        }

        static func auditEvents(_ spool: TemporarySpool) -> [[String: Any]] {
            guard let text = try? String(contentsOfFile: spool.root + "/audit.log", encoding: .utf8) else { return [] }
            return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }

        @Test func fetchWritesEachApprovedReportOfTheWindowOnceAndNeverAgain() async throws {
            let today = Self.today
            let harness = try await SandboxHarness.start(expensifyReports: try Self.reports([
                Self.report("RYESTERDAY1", approved: today.adding(days: -1), name: #"Lyon \"offsite\" & co\nday 2"#),
                Self.report("RREIMBURSED", approved: today.adding(days: -2), status: "Reimbursed"),
                Self.report("RTODAY00001", approved: today),
                Self.report("ROLD0000001", approved: today.adding(days: -10)),
                Self.report("RSUBMITTED1", approved: nil, status: "Processing"),
            ]))
            defer { Task { await harness.stop() } }

            // --dry-run says what would be written, and writes nothing.
            let dry = try await harness.run(["fetch", "--dry-run"])
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("would write inbox/RYESTERDAY1.json") && dry.stdout.contains("would fetch 3 report(s) of 3 exported"))
            #expect(harness.spool.names("inbox").isEmpty && !FileManager.default.fileExists(atPath: harness.spool.root + "/.ledgerdrop/fetch-cursor.json"))
            #expect(!FileManager.default.fileExists(atPath: harness.spool.root + "/audit.log"))

            // The window: lookback (3d) before today; the old and the unapproved report stay out.
            let first = try await harness.run(["fetch"])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(harness.spool.names("inbox") == ["RREIMBURSED.json", "RTODAY00001.json", "RYESTERDAY1.json"])
            #expect(first.stdout.contains("fetched 3 report(s) of 3 exported"))
            // Each inbox file is the report as rendered: same values, read by the inbox reader.
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/inbox/RYESTERDAY1.json")))
            let file = ReportFile.read(bytes)
            #expect(file.problems.isEmpty && file.entries.count == 1)
            #expect(file.entries.first?.report.reportName == "Lyon \"offsite\" & co\nday 2")
            let cursorFile = harness.spool.root + "/.ledgerdrop/fetch-cursor.json"
            #expect(try String(contentsOfFile: cursorFile, encoding: .utf8).contains("\"lastFullyFetchedDay\" : \"\(today.adding(days: -1))\""))
            #expect(Self.auditEvents(harness.spool).filter { $0["event"] as? String == "fetched" }.count == 3)
            // Rendering was awaited: the first download of each export came back empty.
            let stats = await harness.expensify.state.stats
            #expect(stats.exports == 2 && stats.emptyDownloads == 2 && stats.downloads == 4, "\(stats)")

            // A second fetch overlaps the first (lookback) and writes nothing new.
            let second = try await harness.run(["fetch"])
            #expect(second.status == 0)
            #expect(second.stdout.contains("fetched 0 report(s) of 3 exported; 3 already in the spool"))
            #expect(harness.spool.names("inbox").count == 3)
            let cursor = try String(contentsOfFile: cursorFile, encoding: .utf8)

            // --report fetches one report by ID, whatever its approval date; the cursor stays.
            let one = try await harness.run(["fetch", "--report", "ROLD0000001"])
            #expect(one.status == 0, "\(one.stderr)")
            #expect(harness.spool.names("inbox").contains("ROLD0000001.json") && harness.spool.names("inbox").count == 4)
            #expect(try String(contentsOfFile: cursorFile, encoding: .utf8) == cursor)
            // An unapproved report is not exported, even by ID.
            _ = try await harness.run(["fetch", "--report", "RSUBMITTED1"])
            #expect(!harness.spool.names("inbox").contains("RSUBMITTED1.json"))

            // Converted and posted, the reports sit in archive/ and done/: a wide window fetches none again.
            #expect(try await harness.run(["convert"]).status == 0)
            #expect(try await harness.run(["post"]).status == 0)
            #expect(harness.spool.names("inbox").isEmpty && harness.spool.names("done").count == 8)
            let again = try await harness.run(["fetch", "--since", today.adding(days: -30).description, "--report", "RYESTERDAY1", "ROLD0000001"])
            #expect(again.status == 0)
            #expect(again.stdout.contains("fetched 0 report(s) of 2 exported; 2 already in the spool"))
            #expect(harness.spool.names("inbox").isEmpty)
            let skipped = Self.auditEvents(harness.spool).filter { $0["event"] as? String == "skipped" }
            #expect(skipped.count == 2 && skipped.allSatisfy { ($0["message"] as? String ?? "").contains("already in the spool") })
            let wide = try await harness.run(["fetch", "--since", today.adding(days: -30).description])
            #expect(wide.stdout.contains("fetched 0 report(s) of 4 exported; 4 already in the spool"))
            #expect(harness.spool.names("inbox").isEmpty)
            #expect(try harness.ledger().count == 4)

            // A report approved later arrives with the next scheduled fetch.
            try await harness.addExpensifyReports([Self.report("RLATECOMER1", approved: today)])
            let third = try await harness.run(["fetch"])
            #expect(third.stdout.contains("fetched 1 report(s)"))
            #expect(harness.spool.names("inbox") == ["RLATECOMER1.json"])
        }

        @Test func sinceAndUntilBoundTheApprovalDate() async throws {
            let today = Self.today
            let harness = try await SandboxHarness.start(expensifyReports: try Self.reports([
                Self.report("R20DAYS", approved: today.adding(days: -20)),
                Self.report("R10DAYS", approved: today.adding(days: -10)),
                Self.report("R2DAYS", approved: today.adding(days: -2)),
            ]))
            defer { Task { await harness.stop() } }
            let result = try await harness.run(["fetch", "--since", today.adding(days: -15).description, "--until", today.adding(days: -5).description])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(harness.spool.names("inbox") == ["R10DAYS.json"])
            #expect(result.stdout.contains("1 approved after --until"))
            #expect(!FileManager.default.fileExists(atPath: harness.spool.root + "/.ledgerdrop/fetch-cursor.json"))
        }

        @Test func wrongCredentialsExitThreeAndWriteNothing() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            let wrongSecret = "not-the-secret-9f8e7d"
            let result = try await harness.run(["fetch", "--log-level", "debug"], environment: ["EXPENSIFY_PARTNER_USER_SECRET": wrongSecret])
            #expect(result.status == 3)
            #expect(result.stderr.contains("AUTH_FAILED") && result.stderr.contains("Expensify refused the partner credentials"))
            #expect(!result.stderr.contains(wrongSecret) && !result.stdout.contains(wrongSecret))
            for folder in ["inbox", "outbox", "archive", "done", "failed"] { #expect(harness.spool.names(folder).isEmpty, "\(folder)") }
            #expect(!FileManager.default.fileExists(atPath: harness.spool.root + "/.ledgerdrop/fetch-cursor.json"))
            #expect(Self.auditEvents(harness.spool).isEmpty)
            #expect(await harness.expensify.state.stats.authenticationFailures == 1)
            // No credentials at all: a configuration error that says where to put them.
            let none = try await harness.run(["fetch"], environment: ["EXPENSIFY_PARTNER_USER_SECRET": ""])
            #expect(none.status == 2 && none.stderr.contains("EXPENSIFY_PARTNER_USER_SECRET") && none.stderr.contains("credentials set expensify"))
            // check: the Expensify half names the same failure.
            let check = try await harness.run(["check"], environment: ["EXPENSIFY_PARTNER_USER_SECRET": wrongSecret])
            #expect(check.status == 3 && check.stderr.contains("AUTH_FAILED"))
            let good = try await harness.run(["check"])
            #expect(good.status == 0 && good.stdout.contains("Expensify accepts the partner credentials"), "\(good.stdout)\(good.stderr)")
        }

        @Test func underTheRateLimitNoRequestIsRefusedTwiceInARowAndAllReportsArrive() async throws {
            // Expensify (the sandbox) allows 2 requests a second; the client is configured for 5,
            // so refusals happen. After each 429 the client waits until every window it knows of
            // has passed, so the next request goes through.
            let ids = (1...4).map { "RRATE0\($0)" }
            let harness = try await SandboxHarness.start(expensifyReports: try Self.reports(ids.map { Self.report($0, approved: Self.today) }),
                                                         expensifyLimits: [.init(requests: 2, per: .seconds(1))],
                                                         expensifyOptions: ["rateLimit: [\"5/1s\"]"])
            defer { Task { await harness.stop() } }
            for id in ids {
                let result = try await harness.run(["fetch", "--report", id])
                #expect(result.status == 0, "\(result.stderr)")
            }
            #expect(harness.spool.names("inbox") == ids.map { $0 + ".json" })
            let stats = await harness.expensify.state.stats
            #expect(stats.refusedRateLimited > 0, "the test should provoke refusals")
            #expect(stats.longestRefusalStreak == 1)
        }

        @Test func theClientLimitHoldsAcrossProcesses() async throws {
            // With the client at Expensify's own limit, back-to-back fetch processes share the
            // request times in .ledgerdrop/ and are never refused.
            let ids = (1...4).map { "RSHARE0\($0)" }
            let harness = try await SandboxHarness.start(expensifyReports: try Self.reports(ids.map { Self.report($0, approved: Self.today) }),
                                                         expensifyLimits: [.init(requests: 4, per: .seconds(1)), .init(requests: 9, per: .seconds(3))],
                                                         expensifyOptions: ["rateLimit: [\"4/1s\", \"9/3s\"]"])
            defer { Task { await harness.stop() } }
            let started = ContinuousClock.now
            for id in ids { #expect(try await harness.run(["fetch", "--report", id]).status == 0) }
            #expect(harness.spool.names("inbox").count == 4)
            let stats = await harness.expensify.state.stats
            #expect(stats.requests == 12, "\(stats)")
            #expect(stats.refusedRateLimited == 0, "\(stats)")
            // 12 requests at 9 per 3 s cannot all go within the first 3 seconds.
            #expect(ContinuousClock.now - started > .seconds(3))
        }
    }
}

extension SandboxHarness {
    func addExpensifyReports(_ reports: [String]) async throws {
        await expensify.state.add(try ExpensifyReport.parse(Array("[\(reports.joined(separator: ","))]".utf8)))
    }
}

extension EndToEnd.FetchCommandTests {
    @Test(arguments: ["fetch.claimed", "fetch.staged", "fetch.half-placed", "fetch.placed", "fetch.audited", "fetch.moved"])
    func aFetchKilledAtAnyStepOfTheHandOffEndsWithEachReportOnce(failpoint: String) async throws {
        let ids = (1...6).map { "RKILL0\($0)" }
        let harness = try await SandboxHarness.start(expensifyReports: try Self.reports(ids.map { Self.report($0, approved: Self.today) }))
        defer { Task { await harness.stop() } }
        let crashed = try await harness.run(["fetch"], environment: ["LEDGERDROP_FAILPOINT": failpoint])
        #expect(crashed.status == SIGKILL || crashed.status == 128 + SIGKILL, "the run died at \(failpoint)")
        // The cursor moves only after the hand-off: the next fetch asks for the same window.
        #expect(!FileManager.default.fileExists(atPath: harness.spool.root + "/.ledgerdrop/fetch-cursor.json"))
        let rerun = try await harness.run(["fetch"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(harness.spool.names("inbox") == ids.map { $0 + ".json" })
        #expect(FileManager.default.fileExists(atPath: harness.spool.root + "/.ledgerdrop/fetch-cursor.json"))
        // Nothing the killed run staged is left behind.
        #expect(harness.spool.privateFiles().filter { $0.hasPrefix("tmp/") }.isEmpty, "\(harness.spool.privateFiles())")
        // Every report has a `fetched` line (one may repeat after a kill, never be missing).
        let fetched = Set(Self.auditEvents(harness.spool).filter { $0["event"] as? String == "fetched" }.compactMap { $0["reportID"] as? String })
        #expect(fetched == Set(ids))
    }
}

extension EndToEnd.FetchCommandTests {
    @Test func serverErrorsAndDroppedConnectionsAreRetried() async throws {
        let ids = (1...5).map { "RFAULT\($0)" }
        // 30 % of requests fail at random: with the default 5 retries one request in ~1,400 fails
        // six times in a row (met once in CI); with 10, one in a million.
        let harness = try await SandboxHarness.start(expensifyReports: try Self.reports(ids.map { Self.report($0, approved: Self.today) }), renderPolls: 2,
                                                     expensifyOptions: ["retries: 10"])
        defer { Task { await harness.stop() } }
        await harness.expensify.state.setFaults(SandboxFaults(latencyMilliseconds: 5, failPercent: 30, kinds: [.unavailable, .dropBefore, .dropAfter]))
        for _ in 0..<3 {
            let result = try await harness.run(["fetch", "--since", Self.today.adding(days: -1).description])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(harness.spool.names("inbox") == ids.map { $0 + ".json" })
        let fetched = Self.auditEvents(harness.spool).filter { $0["event"] as? String == "fetched" }
        #expect(fetched.count == 5)
        // Every download waited for rendering (two empty answers each), and the faults were met.
        let stats = await harness.expensify.state.stats
        #expect(stats.emptyDownloads >= 6 && stats.requests >= 12, "\(stats)")
    }
}

extension EndToEnd.FetchCommandTests {
    @Test func twoFetchesAtOnceHandEachReportOffOnce() async throws {
        let ids = (1...8).map { "RTWIN0\($0)" }
        let harness = try await SandboxHarness.start(expensifyReports: try Self.reports(ids.map { Self.report($0, approved: Self.today) }), renderPolls: 3)
        defer { Task { await harness.stop() } }
        try FileManager.default.createDirectory(atPath: harness.spool.root + "/.ledgerdrop", withIntermediateDirectories: true)
        let first = try Binary.start(["fetch"], in: harness.spool.root, environment: harness.environment)
        let second = try Binary.start(["fetch"], in: harness.spool.root, environment: harness.environment)
        let results = [await first.finish(), await second.finish()]
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        // One fetch wrote them all; the other waited for it and found them in the spool.
        #expect(Set(results.map { $0.stdout.contains("fetched 8 report(s)") }) == [true, false], "\(results.map(\.stdout))")
        #expect(results.contains { $0.stdout.contains("fetched 0 report(s) of 8 exported; 8 already in the spool") })
        #expect(harness.spool.names("inbox") == ids.map { $0 + ".json" })
        #expect(Self.auditEvents(harness.spool).filter { $0["event"] as? String == "fetched" }.count == 8)
    }
}

extension EndToEnd.FetchCommandTests {
    @Test func atExpensifysDocumentedLimitsTheDefaultClientIsNeverRefused() async throws {
        // The sandbox enforces 5 requests per 10 s and 20 per 60 s; the client runs on its
        // defaults. Three fetches of three requests each: the sixth request must wait ~10 s.
        let ids = (1...3).map { "RREAL0\($0)" }
        let documented = Configuration.Expensify().rateLimits
        #expect(documented == [.init(requests: 5, per: .seconds(10)), .init(requests: 20, per: .seconds(60))])
        let harness = try await SandboxHarness.start(expensifyReports: try Self.reports(ids.map { Self.report($0, approved: Self.today) }),
                                                     expensifyLimits: documented, expensifyOptions: ["rateLimit: [\"5/10s\", \"20/60s\"]"])
        defer { Task { await harness.stop() } }
        let started = ContinuousClock.now
        for id in ids { #expect(try await harness.run(["fetch", "--report", id]).status == 0) }
        #expect(harness.spool.names("inbox") == ids.map { $0 + ".json" })
        let stats = await harness.expensify.state.stats
        #expect(stats.requests == 9 && stats.refusedRateLimited == 0, "\(stats)")
        #expect(ContinuousClock.now - started > .seconds(10))
    }
}
