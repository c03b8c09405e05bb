import Foundation
import Testing

extension EndToEnd {
    /// Issue 13: `watch --metrics-file` after two passes — the file parses with Prometheus's own
    /// Python client (Debian's python3-prometheus-client; `.ci/run` installs it), its counters equal
    /// the audit log's lines, X3's latency is counted, and `status --json` carries the same figures.
    @Suite("Watching it run: the metrics file", .serialized)
    struct MetricsFileTests {
        static let python = "/usr/bin/python3"
        static var parserInstalled: Bool {
            FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/prometheus_client/parser.py")
        }

        /// The samples of a text-format file as `name{label=value,…} value` lines, by the real parser.
        static func parse(_ path: String) async throws -> [String: Double] {
            let script = """
                import sys
                from prometheus_client.parser import text_string_to_metric_families
                for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                    for s in family.samples:
                        labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
                        print(f"{s.name}{{{labels}}} {s.value!r}")
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-c", script, path]
            let pipe = Pipe()
            process.standardOutput = pipe
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let (out, err) = await withCheckedContinuation { (done: CheckedContinuation<(String, String), Never>) in
                Thread {
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    let failure = errors.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    done.resume(returning: (String(decoding: data, as: UTF8.self), String(decoding: failure, as: UTF8.self)))
                }.start()
            }
            #expect(process.terminationStatus == 0, "the parser refused the file: \(err)")
            var samples: [String: Double] = [:]
            for line in out.split(separator: "\n") {
                guard let space = line.lastIndex(of: " ") else { continue }
                samples[String(line[..<space])] = Double(line[line.index(after: space)...])
            }
            return samples
        }

        @Test(.enabled(if: parserInstalled, "python3-prometheus-client (.ci/run installs it)"))
        func afterTwoPassesTheCountersAreTheAuditLogs() async throws {
            let harness = try await SandboxHarness.start()
            defer { Task { await harness.stop() } }
            // The fixture reports dropped in by hand (Expensify's window, three days back, holds none
            // of them), and one that cannot be read.
            try harness.copyFixtureReports()
            try harness.spool.write("bad.json", "{ not json")
            let metrics = harness.spool.root + "/ledgerdrop.prom"
            let watch = try Binary.start(["watch", "--now", "--schedule", "every 1s", "--metrics-file", metrics], in: harness.spool.root, environment: harness.environment)
            let passed = try await EndToEnd.RunAndWatchTests.wait(.seconds(60)) {
                let record = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/.ledgerdrop/last-pass.json"))) as? [String: Any]
                return (record?["passes"] as? Int ?? 0) >= 2 && ((try? String(contentsOfFile: metrics, encoding: .utf8)) ?? "").contains("ledgerdrop_passes 2")
            }
            kill(watch.pid, SIGTERM)
            _ = await watch.finish()
            #expect(passed, "two passes, and the file written after the second")
            let samples = try await Self.parse(metrics)

            // Every event of the audit log, counted once.
            var events: [String: Double] = [:]
            var failures: [String: Double] = [:]
            for line in try String(contentsOfFile: harness.spool.root + "/audit.log", encoding: .utf8).split(separator: "\n") {
                let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let kind = try #require(event["event"] as? String)
                events[kind, default: 0] += 1
                if kind == "failed" || kind == "rejected" { failures["code=\(event["code"] as? String ?? ""),stage=\(event["stage"] as? String ?? "")", default: 0] += 1 }
            }
            #expect(events["converted"] == 20 && events["posted"] == 20 && events["failed"] == 1, "\(events)")
            let counted = samples.filter { $0.key.hasPrefix("ledgerdrop_events_total{") }
            #expect(counted == Dictionary(uniqueKeysWithValues: events.map { ("ledgerdrop_events_total{event=\($0.key)}", $0.value) }), "\(counted)")
            let failed = samples.filter { $0.key.hasPrefix("ledgerdrop_failures_total{") }
            #expect(failed == Dictionary(uniqueKeysWithValues: failures.map { ("ledgerdrop_failures_total{\($0.key)}", $0.value) }), "\(failed)")
            #expect(samples["ledgerdrop_failed_files{code=INVALID_JSON}"] == 1)
            #expect(samples["ledgerdrop_files{folder=done}"] == 20, "the payloads, as status counts them: \(samples.filter { $0.key.hasPrefix("ledgerdrop_files") })")
            #expect(samples["ledgerdrop_passes{}"] == 2 && samples["ledgerdrop_last_pass_exit_code{}"] != nil)
            let good = try #require(samples["ledgerdrop_last_successful_pass_timestamp_seconds{}"])
            #expect(abs(good - Date().timeIntervalSince1970) < 120)
            #expect((samples["ledgerdrop_x3_request_duration_seconds_count{operation=post}"] ?? 0) >= 20, "every post timed")
            #expect(samples["ledgerdrop_x3_request_duration_seconds_bucket{le=+Inf,operation=post}"] == samples["ledgerdrop_x3_request_duration_seconds_count{operation=post}"])

            // status --json: the same counters.
            let status = try await harness.run(["status", "--json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            let totals = try #require(json["auditTotals"] as? [String: Any])
            #expect((totals["events"] as? [String: Int])?.mapValues(Double.init) == events, "\(totals)")
            #expect((json["lastPass"] as? [String: Any])?["passes"] as? Int == 2)
        }
    }
}
