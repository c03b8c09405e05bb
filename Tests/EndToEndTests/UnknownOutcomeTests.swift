import Foundation
import LedgerDrop
import LedgerDropSandbox
import Testing

extension EndToEnd {
    /// X3 stores the entry but ledgerdrop cannot read the answer: that is an unknown outcome, to
    /// be looked up, never a refusal — and `replay` then `post` never posts anything twice.
    @Suite("Unreadable answers after X3 stored the entry", .serialized)
    struct UnknownOutcomeTests {
        static let cases: [(String, SandboxFaults.Kind)] = ["graphql", "soap", "import"].flatMap { api in
            [SandboxFaults.Kind.storedTruncated, .storedHTML, .storedText500].map { (api, $0) }
        }

        @Test(arguments: cases.map { "\($0.0) \($0.1.rawValue)" })
        func anUnreadableAnswerIsLookedUpAndReplayNeverPostsTwice(name: String) async throws {
            let (api, kind) = Self.cases.first { "\($0.0) \($0.1.rawValue)" == name }!
            let harness = try await SandboxHarness.start(retries: 3, api: api)
            defer { Task { await harness.stop() } }
            await harness.sandbox.state.setFaults(SandboxFaults(failPercent: 100, kinds: [kind], onlyFirstAttempt: true))
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            #expect(harness.spool.names("failed").isEmpty, "nothing filed as refused")
            let receipts = try harness.spool.names("done").filter { $0.hasSuffix(".receipt.json") }.map { name in
                try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/done/" + name))) as? [String: Any])
            }
            // The sandbox spoils the first post of each reference; the two entries of the
            // multi-date report share one, so 19 answers were unreadable.
            #expect(receipts.count == 20)
            #expect(receipts.filter { $0["recovered"] as? Bool == true }.count == Set(receipts.compactMap { $0["reportID"] as? String }).count, "each spoiled answer was looked up and found")
            // The natural next step of someone who saw failures: replay everything, post again.
            _ = try await harness.run(["replay", "--all"])
            #expect(try await harness.run(["post"]).status == 0)
            let ledger = try harness.ledger()
            #expect(ledger.count == 20)
            #expect(Set(ledger.map { "\($0.reference) \($0.accountingDate) \($0.currency)" }).count == 20, "every entry in X3 exactly once")
            #expect(harness.spool.names("outbox").isEmpty && harness.spool.privateFiles().filter { $0.hasPrefix("claims/") }.isEmpty)
        }

        /// SPEC §13.5: two reports whose entries have equal lines, date and accounts, both answers
        /// lost after X3 stored them: the stock-server lookup finds each report its own entry.
        @Test func twinReportsAreNeverTakenForEachOther() async throws {
            let harness = try await SandboxHarness.start(retries: 3, api: "import")
            defer { Task { await harness.stop() } }
            await harness.sandbox.state.setFaults(SandboxFaults(failPercent: 100, kinds: [.dropAfter], onlyFirstAttempt: true))
            let lines = #""transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 4200, "category": "Meals", "merchant": "Chez Léon"}]"#
            for id in ["RTWINA", "RTWINB"] {
                try harness.spool.write("\(id).json", #"{"reportID": "\#(id)", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "submitterName": "Jane Doe", \#(lines)}"#)
            }
            #expect(try await harness.run(["convert"]).status == 0)
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            let ledger = try harness.ledger()
            #expect(ledger.count == 2, "each posted once")
            #expect(Set(ledger.map { $0.lines.map { "\($0.account) \($0.sign) \($0.amount) \($0.businessPartner)" } }).count == 1, "the two entries have equal lines")
            for id in ["RTWINA", "RTWINB"] {
                let receipt = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/done/\(id).receipt.json"))) as? [String: Any])
                let own = try #require(ledger.first { $0.reference == id })
                #expect(receipt["x3EntryNumber"] as? String == own.entryNumber, "\(id) found its own entry")
                #expect(receipt["recovered"] as? Bool == true)
            }
        }

        /// Error files an earlier ledgerdrop wrote when it took an unreadable answer for a refusal:
        /// the entries are in X3, the payloads in failed/ as X3_REJECTED.
        @Test(arguments: ["graphql", "soap"])
        func replayLooksUpWhateverTheErrorFileSaid(api: String) async throws {
            let harness = try await SandboxHarness.start(api: api)
            defer { Task { await harness.stop() } }
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            #expect(try await harness.run(["post"]).status == 0)
            let root = harness.spool.root
            for name in harness.spool.names("done") where !name.hasSuffix(".receipt.json") {
                let key = String(name.prefix { $0 != "." })
                try FileManager.default.removeItem(atPath: "\(root)/done/\(key).receipt.json")
                try FileManager.default.moveItem(atPath: "\(root)/done/\(name)", toPath: "\(root)/failed/\(name)")
                let error: [String: Any] = ["stage": "post", "code": "X3_REJECTED", "message": "X3 answered HTTP 200 without a SOAP result", "remedy": "", "file": name,
                                            "reportIDs": [key.components(separatedBy: "_")[0]], "entryKey": key, "attempts": 1, "retryable": false,
                                            "firstFailureAt": "2026-11-30T10:00:00.000Z", "lastFailureAt": "2026-11-30T10:00:00.000Z", "problems": []]
                try JSONSerialization.data(withJSONObject: error).write(to: URL(fileURLWithPath: "\(root)/failed/\(name).error.json"))
            }
            let replay = try await harness.run(["replay", "--all"])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(harness.spool.names("outbox").count == 20)
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            #expect(post.stdout.contains("found already posted 20"), "\(post.stdout)")
            #expect(try harness.ledger().count == 20, "nothing posted twice")
        }

        @Test func aPayloadMovedBackByHandBesideItsErrorFileIsLookedUpFirst() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            try harness.spool.write("one.json", #"{"reportID": "RHAND", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#)
            #expect(try await harness.run(["convert"]).status == 0)
            #expect(try await harness.run(["post"]).status == 0)
            let root = harness.spool.root
            try FileManager.default.removeItem(atPath: "\(root)/done/RHAND.receipt.json")
            try FileManager.default.moveItem(atPath: "\(root)/done/RHAND.graphql.json", toPath: "\(root)/outbox/RHAND.graphql.json")
            try #"{"code":"X3_REJECTED"}"#.write(toFile: "\(root)/failed/RHAND.graphql.json.error.json", atomically: true, encoding: .utf8)
            let post = try await harness.run(["post"])
            #expect(post.stdout.contains("found already posted 1"), "\(post.stdout)")
            #expect(try harness.ledger().count == 1)
        }

        @Test(arguments: ["graphql", "soap"])
        func aServerThatDripsItsAnswerIsCutOffByTheTimeout(api: String) async throws {
            let harness = try await SandboxHarness.start(api: api)
            defer { Task { await harness.stop() } }
            try harness.spool.configure(x3Timeout: "1s")
            await harness.sandbox.state.setFaults(SandboxFaults(failPercent: 100, kinds: [.storedDrip], onlyFirstAttempt: true))
            try harness.spool.write("one.json", #"{"reportID": "RDRIP", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#)
            #expect(try await harness.run(["convert"]).status == 0)
            let started = ContinuousClock.now
            let post = try await harness.run(["post"])
            let took = ContinuousClock.now - started
            #expect(post.status == 0, "\(post.stderr)")
            #expect(post.stdout.contains("found already posted 1"), "\(post.stdout)")
            // The dripped answer takes minutes (a byte a second); a 1 s timeout, one lookup and
            // process start-up take seconds. 30 s leaves room for a loaded CI machine.
            #expect(took < .seconds(30), "\(took)")
            #expect(try harness.ledger().count == 1)
        }
    }
}
