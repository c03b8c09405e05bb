import Foundation
import LedgerDropSandbox
import Testing

/// SPEC §6.5: killed at any instant and run again, the poster leaves every entry in X3 once.
extension EndToEnd {
    @Suite("Post crash safety", .serialized)
    struct PostCrashSafetyTests {
        static let count = 500

        func seed(_ harness: SandboxHarness) async throws {
            for n in 0..<Self.count {
                try harness.spool.write(String(format: "r-%04d.json", n), #"{"reportID": "RP\#(n)", "currency": "EUR", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": \#(100 + n), "category": "Meals"}]}"#)
            }
            let convert = try await harness.run(["convert"])
            #expect(convert.status == 0, "\(convert.stderr)")
        }

        /// Every entry once in the ledger, every payload in done/ with its receipt, nothing else.
        func expectExactlyOnce(_ harness: SandboxHarness) throws {
            let ledger = try harness.ledger()
            #expect(ledger.count == Self.count, "no entry missing, none doubled")
            #expect(Set(ledger.map(\.reference)) == Set((0..<Self.count).map { "RP\($0)" }))
            let done = harness.spool.names("done")
            #expect(done.filter { $0.hasSuffix(".receipt.json") }.count == Self.count)
            #expect(done.filter { $0.hasSuffix(".graphql.json") }.count == Self.count)
            #expect(harness.spool.names("outbox").isEmpty && harness.spool.names("failed").isEmpty)
            #expect(harness.spool.privateFiles().isEmpty, "\(harness.spool.privateFiles().prefix(3))")
            // Each receipt's number is the ledger's number for that reference.
            let numbers = Dictionary(uniqueKeysWithValues: ledger.map { ($0.reference, $0.entryNumber) })
            for name in done.filter({ $0.hasSuffix(".receipt.json") }).prefix(50) {
                let receipt = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/done/" + name))) as? [String: Any]
                #expect(numbers[receipt?["reportID"] as? String ?? ""] == receipt?["x3EntryNumber"] as? String)
            }
        }

        @Test func killedAtRandomPointsAndRunAgain() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            await harness.sandbox.state.setFaults(SandboxFaults(latencyMilliseconds: 3))
            try await seed(harness)
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
            try expectExactlyOnce(harness)
            let recovered = harness.spool.names("done").filter { $0.hasSuffix(".receipt.json") }.filter { name in
                ((try? String(contentsOfFile: harness.spool.root + "/done/" + name, encoding: .utf8)) ?? "").contains(#""recovered" : true"#)
            }.count
            print("post crash test: \(kills) kills; \(recovered) entries found by lookup instead of posted again")
        }

        @Test(arguments: ["post.before-receipt", "post.receipt-written"])
        func killedBetweenX3AndTheReceipt(failpoint: String) async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            try await seed(harness)
            let crashed = try await harness.run(["post"], environment: ["LEDGERDROP_FAILPOINT": failpoint])
            #expect(crashed.status == SIGKILL || crashed.status == 128 + SIGKILL)
            #expect(try harness.ledger().count >= 1, "X3 has the entry the crashed run was finishing")
            let rerun = try await harness.run(["post"])
            #expect(rerun.status == 0, "\(rerun.stderr)")
            try expectExactlyOnce(harness)
            if failpoint == "post.before-receipt" {
                let audit = try String(contentsOfFile: harness.spool.root + "/audit.log", encoding: .utf8)
                #expect(audit.contains(#""event":"recovered""#), "the entry was found by lookup, not posted again")
            }
        }
    }
}
