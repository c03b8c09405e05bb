import Foundation
import LedgerDrop
import LedgerDropSandbox
import Testing

extension EndToEnd {
    /// SIGTERM, SIGINT and SIGHUP: the item in hand is finished, what was claimed and not
    /// started goes back, and the exit code says the command was stopped (128 + the signal).
    @Suite("Signals stop a command cleanly", .serialized)
    struct SignalTests {
        typealias Watching = RunAndWatchTests

        @Test(arguments: [("SIGTERM", SIGTERM), ("SIGINT", SIGINT), ("SIGHUP", SIGHUP)])
        func postFinishesThePostsInFlightAndReturnsTheRest(name: String, number: Int32) async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            await harness.sandbox.state.setFaults(SandboxFaults(latencyMilliseconds: 1000))
            let post = try Binary.start(["post"], in: harness.spool.root, environment: harness.environment)
            #expect(try await Watching.wait { await harness.sandbox.state.requests >= 1 })
            kill(post.pid, number)
            let result = await post.finish()
            #expect(result.status == 128 + number, "\(name): \(result.status) \(result.stderr)")
            let done = harness.spool.names("done").filter { $0.hasSuffix(".graphql.json") }
            #expect((1...4).contains(done.count), "the posts in flight finished: \(done.count)")
            #expect(harness.spool.names("outbox").count == 20 - done.count, "the rest went back")
            #expect(harness.spool.privateFiles().filter { $0.hasPrefix("claims/") }.isEmpty)
            #expect(try harness.ledger().count == done.count)
            await harness.sandbox.state.setFaults(.none)
            #expect(try await harness.run(["post"]).status == 0)
            #expect(try harness.ledger().count == 20)
        }

        @Test func convertFinishesTheBatchInHandAndLeavesTheRestInTheInbox() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            for index in 0..<3000 {
                try #"{"reportID": "RSIG\#(index)", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#
                    .write(toFile: spool.root + "/inbox/r\(index).json", atomically: false, encoding: .utf8)
            }
            let convert = try Binary.start(["convert", "--batch-size", "1"], in: spool.root)
            #expect(try await Watching.wait { spool.names("archive").count >= 5 })
            kill(convert.pid, SIGTERM)
            let result = await convert.finish()
            #expect(result.status == 143, "\(result.status) \(result.stderr.suffix(300))")
            let archived = spool.names("archive").count, waiting = spool.names("inbox").count
            #expect(archived + waiting == 3000 && waiting > 0, "every report in one place: \(archived) + \(waiting)")
            #expect(spool.names("outbox").count == archived)
            #expect(spool.privateFiles().filter { $0.hasPrefix("claims/") }.isEmpty)
        }

        @Test func watchEndsCleanlyOnSIGHUP() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            let watch = try Binary.start(["watch", "--schedule", "every 1h"], in: harness.spool.root, environment: harness.environment)
            #expect(try await Watching.wait { Watching.output(watch).contains("pass at") })
            kill(watch.pid, SIGHUP)
            let result = await watch.finish()
            #expect(result.status == 0, "a watch ends only by a signal: \(result.stderr)")
        }

        @Test func aFetchStoppedWhileWaitingForExpensifyIsNotAnExpensifyError() async throws {
            // The export stays "not rendered" for a long time: the fetch is polling when stopped.
            let harness = try await SandboxHarness.start(renderPolls: 10_000, expensifyOptions: ["downloadTimeout: 10m"])
            defer { Task { await harness.stop() } }
            let fetch = try Binary.start(["fetch", "--since", "2026-11-01"], in: harness.spool.root, environment: harness.environment)
            #expect(try await Watching.wait { await harness.expensify.state.stats.downloads >= 2 })
            kill(fetch.pid, SIGTERM)
            let result = await fetch.finish()
            #expect(result.status == 143, "\(result.status) \(result.stderr)")
            #expect(!result.stderr.contains("EXPENSIFY_ERROR") && !result.stdout.contains("EXPENSIFY_ERROR"))
            #expect(result.stdout.contains("stopped by a signal"), "\(result.stdout)")
            #expect(harness.spool.names("inbox").isEmpty)
        }
    }
}
