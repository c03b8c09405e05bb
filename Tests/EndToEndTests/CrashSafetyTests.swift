import Foundation
import Testing

/// SPEC §2.3: a crash at any instant loses nothing and duplicates nothing; two converters can
/// share one spool.
extension EndToEnd {
    @Suite("Crash safety and concurrent converters", .serialized)
    struct CrashSafetyTests {
        static let reportCount = 1000
        /// A crash at a named step comes in the first batch of 100; three batches are enough for
        /// the rerun to have claimed, half-done and untouched work to finish.
        static let failpointReportCount = 300

        func seed(_ spool: TemporarySpool, count: Int = Self.reportCount) throws {
            for n in 0..<count {
                let lines = (0..<3).map { i in
                    #"{"transactionID": "\#(n * 10 + i)", "created": "2026-10-30", "merchant": "Shop \#(i)", "amount": \#(100 + n + i), "category": "\#(["Meals", "Airfare", "Taxi"][i])"}"#
                }
                try spool.write(String(format: "report-%04d.json", n), #"{"reportID": "RC\#(n)", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [\#(lines.joined(separator: ","))]}"#)
            }
        }

        /// Every report exactly once: its payload in outbox/, its source in archive/, nothing else.
        func expectExactlyOnce(_ spool: TemporarySpool, count: Int = Self.reportCount) {
            let outbox = spool.names("outbox")
            let archive = spool.names("archive")
            #expect(outbox == (0..<count).map { "RC\($0).graphql.json" }.sorted())
            #expect(archive == (0..<count).map { String(format: "report-%04d.json", $0) })
            #expect(spool.names("inbox").isEmpty)
            #expect(spool.names("failed").isEmpty, "\(spool.names("failed").prefix(4))")
            #expect(spool.privateFiles().isEmpty, "\(spool.privateFiles().prefix(4))")
        }

        @Test func killedMidRunThenRerunLosesAndDoublesNothing() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            try seed(spool)
            var midRunKills = 0
            var generator = SystemRandomNumberGenerator()
            // Kill repeatedly at random instants while work remains, then let a run finish.
            for _ in 0..<6 where !spool.names("inbox").isEmpty {
                let process = try Binary.start(["convert", "--batch-size", "100"], in: spool.root)
                // Kill once this run has handed off a random number of payloads: a late look only
                // makes the kill later, never turns it into a finished run.
                let target = spool.names("outbox").count + Int.random(in: 1...250, using: &generator)
                let started = Date()
                while process.isRunning, spool.names("outbox").count < target, Date().timeIntervalSince(started) < 20 {
                    try await Task.sleep(for: .milliseconds(1))
                }
                if process.isRunning {
                    kill(process.pid, SIGKILL)
                    let done = spool.names("outbox").count
                    if done > 0, done < Self.reportCount { midRunKills += 1 }
                    print("killed a convert run with \(done) of \(Self.reportCount) payloads handed off, \(spool.privateFiles().count) claimed or temp files")
                }
                _ = await process.finish()
            }
            let final = try await Binary.run(["convert"], in: spool.root)
            #expect(final.status == 0, "\(final.stderr)")
            #expect(midRunKills > 0, "at least one run was killed mid-way")
            expectExactlyOnce(spool)
        }

        /// A crash at each step of a batch's hand-off, some of the batch failing: the rerun finishes
        /// the batch, and every file is in exactly one place.
        @Test(arguments: ["convert.claimed", "convert.staged", "convert.half-placed", "convert.placed", "convert.audited", "convert.half-moved", "convert.moved"])
        func crashAtEachStepOfTheHandOff(failpoint: String) async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            try seed(spool, count: Self.failpointReportCount)
            try spool.write("report-bad.json", "{ not json")
            let crashed = try await Binary.run(["convert", "--batch-size", "100"], in: spool.root, environment: ["LEDGERDROP_FAILPOINT": failpoint])
            #expect(crashed.status == SIGKILL || crashed.status == 128 + SIGKILL, "the run died at \(failpoint)")
            #expect(!spool.names("inbox").isEmpty, "the crash left work to do")
            let rerun = try await Binary.run(["convert"], in: spool.root)
            #expect(rerun.status == 1, "\(rerun.stderr)")
            try FileManager.default.removeItem(atPath: spool.root + "/failed/report-bad.json")
            try FileManager.default.removeItem(atPath: spool.root + "/failed/report-bad.json.error.json")
            expectExactlyOnce(spool, count: Self.failpointReportCount)
            // Every entry is in the audit trail at least once.
            let audit = try String(contentsOfFile: spool.root + "/audit.log", encoding: .utf8)
            let logged = Set(audit.split(separator: "\n").filter { $0.contains(#""event":"converted""#) }.compactMap { line in
                line.split(separator: ",").first { $0.hasPrefix(#""entryKey":"#) }
            })
            #expect(logged.count == Self.failpointReportCount)
        }

        @Test func twoConvertersShareOneSpool() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            try seed(spool)
            let first = try Binary.start(["convert", "--batch-size", "50"], in: spool.root)
            let second = try Binary.start(["convert", "--batch-size", "50"], in: spool.root)
            let results = [await first.finish(), await second.finish()]
            #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
            expectExactlyOnce(spool)
            let converted = results.compactMap { result in
                result.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            }
            #expect(converted.reduce(0, +) == Self.reportCount, "\(results.map(\.stdout))")
        }

        /// Two files carry each report; two converters race over them. Each report is published once,
        /// the other copy fails as a duplicate, and nothing is left behind (also on the rare path where
        /// the clash is found while publishing rather than by the duplicate check).
        @Test func racingCopiesOfTheSameReportArePublishedOnce() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            let count = 300
            for n in 0..<count {
                let report = #"{"reportID": "RD\#(n)", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": \#(100 + n), "category": "Meals"}]}"#
                try spool.write("a-\(n).json", report)
                try spool.write("b-\(n).json", report)
            }
            let first = try Binary.start(["convert", "--batch-size", "7"], in: spool.root)
            let second = try Binary.start(["convert", "--batch-size", "7"], in: spool.root)
            let results = [await first.finish(), await second.finish()]
            #expect(results.allSatisfy { $0.status == 1 }, "\(results.map(\.stderr))")
            #expect(spool.names("outbox") == (0..<count).map { "RD\($0).graphql.json" }.sorted())
            #expect(spool.names("archive").count == count)
            let failed = spool.names("failed").filter { !$0.hasSuffix(".error.json") }
            #expect(failed.count == count)
            #expect(spool.names("inbox").isEmpty)
            #expect(spool.privateFiles().isEmpty, "\(spool.privateFiles().prefix(4))")
            for name in failed.prefix(20) {
                let error = try String(contentsOfFile: spool.root + "/failed/" + name + ".error.json", encoding: .utf8)
                #expect(error.contains("DUPLICATE_REPORT"))
            }
        }
    }
}
