import Foundation
import LedgerDropSandbox
import Testing

/// SPEC §6.5: killed at any instant and run again, the poster leaves every entry in X3 once.
extension EndToEnd {
    @Suite("Post crash safety", .serialized)
    struct PostCrashSafetyTests {
        static let count = 500

        func seed(_ harness: SandboxHarness, count: Int = Self.count) async throws {
            for n in 0..<count {
                try harness.spool.write(String(format: "r-%04d.json", n), #"{"reportID": "RP\#(n)", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": \#(100 + n), "category": "Meals"}]}"#)
            }
            let convert = try await harness.run(["convert"])
            #expect(convert.status == 0, "\(convert.stderr)")
        }

        /// Every entry once in the ledger, every payload in done/ with its receipt, nothing else.
        func expectExactlyOnce(_ harness: SandboxHarness, count: Int = Self.count, suffix: String = ".graphql.json") throws {
            let ledger = try harness.ledger()
            #expect(ledger.count == count, "no entry missing, none doubled")
            #expect(Set(ledger.map(\.reference)) == Set((0..<count).map { "RP\($0)" }))
            let done = harness.spool.names("done")
            #expect(done.filter { $0.hasSuffix(".receipt.json") }.count == count)
            #expect(done.filter { $0.hasSuffix(suffix) }.count == count)
            #expect(harness.spool.names("outbox").isEmpty && harness.spool.names("failed").isEmpty)
            #expect(harness.spool.privateFiles().isEmpty, "\(harness.spool.privateFiles().prefix(3))")
            // Each receipt's number is the ledger's number for that reference (a doubled entry
            // is reported above; it must not stop the test process here).
            let numbers = Dictionary(ledger.map { ($0.reference, $0.entryNumber) }, uniquingKeysWith: { first, _ in first })
            for name in done.filter({ $0.hasSuffix(".receipt.json") }).prefix(50) {
                let receipt = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/done/" + name))) as? [String: Any]
                #expect(numbers[receipt?["reportID"] as? String ?? ""] == receipt?["x3EntryNumber"] as? String)
            }
        }

        /// The import route (300 payloads, SPEC §13.2) learns each number from the stock query.
        @Test(arguments: ["graphql", "import"])
        func killedAtRandomPointsAndRunAgain(api: String) async throws {
            let count = api == "import" ? 300 : Self.count
            let harness = try await SandboxHarness.start(api: api)
            defer { Task { await harness.stop() } }
            await harness.sandbox.state.setFaults(SandboxFaults(latencyMilliseconds: 3))
            try await seed(harness, count: count)
            var kills = 0
            for _ in 0..<8 where !harness.spool.names("outbox").isEmpty || !harness.spool.privateFiles().isEmpty {
                let process = try Binary.start(["post"], in: harness.spool.root, environment: harness.environment)
                let target = try harness.ledger().count + Int.random(in: 1...60)
                let started = Date()
                while process.isRunning, (try? harness.ledger().count) ?? 0 < target, Date().timeIntervalSince(started) < 20 {
                    try await Task.sleep(for: .milliseconds(2))
                }
                if process.isRunning {
                    kill(process.pid, SIGKILL)
                    kills += 1
                }
                let result = await process.finish()
                print("post run ended (status \(result.status)) with \((try? harness.ledger().count) ?? 0) entries in X3, \(harness.spool.names("outbox").count) payloads in outbox/")
            }
            let final = try await harness.run(["post"])
            #expect(final.status == 0, "\(final.stderr)")
            #expect(kills > 0)
            try expectExactlyOnce(harness, count: count, suffix: api == "import" ? ".import.txt" : ".graphql.json")
            let recovered = harness.spool.names("done").filter { $0.hasSuffix(".receipt.json") }.filter { name in
                ((try? String(contentsOfFile: harness.spool.root + "/done/" + name, encoding: .utf8)) ?? "").contains(#""recovered" : true"#)
            }.count
            print("post crash test (\(api)): \(kills) kills; \(recovered) entries found by lookup instead of posted again")
        }

        /// Killed while X3 is still writing the entry (its request read, its answer not yet
        /// given): the next run, started at once, must not take X3's silence for "not there".
        /// It looks the claim up only once x3.timeout (3 s here) has passed since the request
        /// went out, finds the entry, and posts nothing again.
        @Test(arguments: ["graphql", "soap", "import"])
        func killedWhileX3IsStillWritingTheEntry(api: String) async throws {
            let harness = try await SandboxHarness.start(api: api)
            defer { Task { await harness.stop() } }
            try harness.spool.configure(x3Timeout: "3s")
            try await seed(harness, count: 1)
            await harness.sandbox.state.setFaults(SandboxFaults(writeMilliseconds: 1500))
            let process = try Binary.start(["post"], in: harness.spool.root, environment: harness.environment)
            let started = Date()
            while await harness.sandbox.state.writing == 0, Date().timeIntervalSince(started) < 20 {
                try await Task.sleep(for: .milliseconds(2))
            }
            #expect(await harness.sandbox.state.writing == 1, "the post reached X3")
            kill(process.pid, SIGKILL)
            _ = await process.finish()
            let sent = Date()
            let rerun = try await harness.run(["post"])
            #expect(rerun.status == 0, "\(rerun.stderr)")
            #expect(Date().timeIntervalSince(sent) > 2.4, "the lookup waited for the request in flight")
            try expectExactlyOnce(harness, count: 1, suffix: api == "import" ? ".import.txt" : api == "soap" ? ".xml" : ".graphql.json")
            let receipt = try String(contentsOfFile: harness.spool.root + "/done/RP0.receipt.json", encoding: .utf8)
            #expect(receipt.contains(#""recovered" : true"#), "\(receipt)")
        }

        /// The file route killed while handing off 200 payloads: each file once in the folder
        /// (no temp file left), each receipt once, and after GESAIM loaded the folder every
        /// entry once in X3 with its number in the receipt.
        @Test func theFileRouteKilledAtRandomPointsHandsEachFileOffOnce() async throws {
            let count = 200
            let harness = try await SandboxHarness.start(api: "file")
            defer { Task { await harness.stop() } }
            try await seed(harness, count: count)
            func handedOff() -> Int { harness.spool.names("x3-import").filter { $0.hasSuffix(".import.txt") }.count }
            var kills = 0
            for _ in 0..<6 where !harness.spool.names("outbox").isEmpty || !harness.spool.privateFiles().isEmpty {
                let process = try Binary.start(["post"], in: harness.spool.root, environment: harness.environment)
                let target = handedOff() + Int.random(in: 1...50)
                let started = Date()
                while process.isRunning, handedOff() < target, Date().timeIntervalSince(started) < 20 {
                    try await Task.sleep(for: .milliseconds(1))
                }
                if process.isRunning {
                    kill(process.pid, SIGKILL)
                    kills += 1
                }
                _ = await process.finish()
            }
            let final = try await harness.run(["post"])
            #expect(final.status == 0, "\(final.stderr)")
            #expect(kills > 0)
            let folder = harness.spool.names("x3-import")
            #expect(folder.count == count && folder.allSatisfy { $0.hasSuffix(".import.txt") }, "each file once, no temp file: \(folder.filter { !$0.hasSuffix(".import.txt") }.prefix(3))")
            #expect(harness.spool.names("done").filter { $0.hasSuffix(".receipt.json") }.count == count)
            #expect(harness.spool.names("outbox").isEmpty && harness.spool.names("failed").isEmpty)
            #expect(await harness.sandbox.loadImportFolder(harness.spool.root + "/x3-import") == count)
            #expect(try await harness.run(["post"]).status == 0)
            let ledger = try harness.ledger()
            #expect(ledger.count == count && Set(ledger.map(\.reference)) == Set((0..<count).map { "RP\($0)" }))
            #expect(harness.spool.privateFiles().isEmpty, "every number found: \(harness.spool.privateFiles().prefix(3))")
            print("file route crash test: \(kills) kills")
        }

        @Test(arguments: ["post.claimed", "post.staged", "post.placed", "post.audited", "post.moved"])
        func killedBetweenX3AndTheReceipt(failpoint: String) async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            // The rerun waits out x3.timeout before it looks up what the crashed run had sent.
            try harness.spool.configure(x3Timeout: "2s")
            try await seed(harness)
            let crashed = try await harness.run(["post"], environment: ["LEDGERDROP_FAILPOINT": failpoint])
            #expect(crashed.status == SIGKILL || crashed.status == 128 + SIGKILL)
            #expect(try harness.ledger().count >= 1, "X3 has the entry the crashed run was finishing")
            let rerun = try await harness.run(["post"])
            #expect(rerun.status == 0, "\(rerun.stderr)")
            try expectExactlyOnce(harness)
            let audit = EndToEnd.FetchCommandTests.auditEvents(harness.spool)
            if failpoint == "post.claimed" || failpoint == "post.staged" {
                #expect(audit.contains { $0["event"] as? String == "recovered" }, "the entry was found by lookup, not posted again")
            }
            // Every entry in X3 has its line in the trail (one may repeat after a kill, none is missing).
            let logged = Set(audit.filter { ["posted", "recovered"].contains($0["event"] as? String) }.compactMap { $0["reportID"] as? String })
            #expect(logged == Set((0..<Self.count).map { "RP\($0)" }))
        }

        /// Entries split by currency share reference and date: a recovered USD claim must not be
        /// taken for the EUR entry already in X3.
        @Test func recoveredClaimIsNotMistakenForItsOtherCurrency() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            let config = harness.spool.root + "/ledgerdrop.yml"
            try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "  currency: report", with: "  currency: expense")
                .write(toFile: config, atomically: true, encoding: .utf8)
            try harness.spool.write("split.json", #"{"reportID": "RSPLIT", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}, {"transactionID": "2", "created": "2026-10-30", "amount": 2000, "currency": "USD", "convertedAmount": 1800, "category": "Meals"}]}"#)
            #expect(try await harness.run(["convert"]).status == 0)
            #expect(harness.spool.names("outbox") == ["RSPLIT_2026-10-30_EUR.graphql.json", "RSPLIT_2026-10-30_USD.graphql.json"])
            // The USD payload sits in the claim of a poster that died before sending it.
            var name = [CChar](repeating: 0, count: 256)
            gethostname(&name, name.count)
            let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let safeHost = String(host.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
            let claim = harness.spool.root + "/.ledgerdrop/claims/post/\(safeHost)~999999~1"
            try FileManager.default.createDirectory(atPath: claim, withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: harness.spool.root + "/outbox/RSPLIT_2026-10-30_USD.graphql.json", toPath: claim + "/RSPLIT_2026-10-30_USD.graphql.json")
            // First the EUR entry alone reaches X3 (the claim's owner counts as alive until the
            // claim is older than an hour on another host, so rename the folder after).
            let hidden = harness.spool.root + "/.claim-aside"
            try FileManager.default.moveItem(atPath: claim, toPath: hidden)
            #expect(try await harness.run(["post"]).status == 0)
            try FileManager.default.moveItem(atPath: hidden, toPath: claim)
            let rerun = try await harness.run(["post"])
            #expect(rerun.status == 0, "\(rerun.stderr)")
            let ledger = try harness.ledger()
            #expect(ledger.map(\.currency).sorted() == ["EUR", "USD"], "the USD entry was posted, not mistaken for the EUR one")
            let receipt = try String(contentsOfFile: harness.spool.root + "/done/RSPLIT_2026-10-30_USD.receipt.json", encoding: .utf8)
            #expect(receipt.contains(#""recovered" : false"#))
        }

        /// A claim taken over from a dead run keeps its "look it up first" status when the run
        /// stops on a systemic failure: it is never sent back to outbox/ to be posted blind.
        @Test func recoveredClaimsStayClaimedWhenTheRunStops() async throws {
            let harness = try await SandboxHarness.start(retries: 1)
            defer { Task { await harness.stop() } }
            try harness.spool.write("one.json", #"{"reportID": "RREC", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#)
            #expect(try await harness.run(["convert"]).status == 0)
            // A run posted it, then died before its receipt.
            let crashed = try await harness.run(["post"], environment: ["LEDGERDROP_FAILPOINT": "post.claimed"])
            #expect(crashed.status == SIGKILL || crashed.status == 128 + SIGKILL)
            #expect(try harness.ledger().count == 1)
            // The next run meets refused credentials: exit 3, and the claim stays a claim.
            let refused = try await harness.run(["post"], environment: ["X3_CLIENT_SECRET": "wrong-secret-123"])
            #expect(refused.status == 3)
            #expect(harness.spool.names("outbox").isEmpty, "not sent back to be posted blind")
            #expect(harness.spool.privateFiles().contains { $0.hasSuffix("RREC.graphql.json") })
            // With the right credentials it is found by lookup, not posted again.
            let good = try await harness.run(["post"])
            #expect(good.status == 0, "\(good.stderr)")
            #expect(try harness.ledger().count == 1)
            let receipt = try String(contentsOfFile: harness.spool.root + "/done/RREC.receipt.json", encoding: .utf8)
            #expect(receipt.contains(#""recovered" : true"#))
        }
    }
}
