import Foundation
import Testing

extension EndToEnd {
    @Suite("ledgerdrop convert, end to end")
    struct ConvertCommandTests {
        @Test(arguments: ["graphql", "soap"])
        func fixturesBecomeTheExpectedPayloads(api: String) async throws {
            let spool = try TemporarySpool(api: api)
            defer { spool.remove() }
            let reports = try FileManager.default.contentsOfDirectory(atPath: Binary.packageRoot + "/fixtures/reports").filter { $0.hasSuffix(".json") }
            for name in reports {
                try FileManager.default.copyItem(atPath: Binary.packageRoot + "/fixtures/reports/" + name, toPath: spool.root + "/inbox/" + name)
            }
            let result = try await Binary.run(["convert"], in: spool.root)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("converted \(reports.count) file(s)"))
            #expect(spool.names("archive") == reports.sorted())
            #expect(spool.names("inbox").isEmpty && spool.names("failed").isEmpty)
            #expect(spool.privateFiles().isEmpty, "no claim or temp file is left behind")
            let suffix = api == "graphql" ? ".graphql.json" : ".xml"
            var expected: [String: String] = [:]
            let goldenRoot = Binary.packageRoot + "/fixtures/expected"
            for folder in try FileManager.default.contentsOfDirectory(atPath: goldenRoot) {
                for file in try FileManager.default.contentsOfDirectory(atPath: goldenRoot + "/" + folder) where file.hasSuffix(suffix) {
                    expected[file] = goldenRoot + "/" + folder + "/" + file
                }
            }
            #expect(spool.names("outbox") == expected.keys.sorted())
            for (file, golden) in expected {
                #expect(FileManager.default.contents(atPath: spool.root + "/outbox/" + file) == FileManager.default.contents(atPath: golden), "\(file)")
            }
            let audit = try String(contentsOfFile: spool.root + "/audit.log", encoding: .utf8)
            #expect(audit.split(separator: "\n").filter { $0.contains(#""event":"converted""#) }.count == expected.count)
        }

        @Test func badFilesFailAndTheRestConverts() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            try spool.write("a-broken.json", "{\"reportID\": ")
            try spool.write("b-unmapped.json", #"{"reportID": "B1", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 100, "category": "Gifts"}]}"#)
            try spool.write("c-good.json", #"{"reportID": "C1", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 100, "category": "Meals"}]}"#)
            let result = try await Binary.run(["convert", "--log-format", "json"], in: spool.root)
            #expect(result.status == 1)
            #expect(spool.names("failed") == ["a-broken.json", "a-broken.json.error.json", "b-unmapped.json", "b-unmapped.json.error.json"])
            #expect(spool.names("outbox") == ["C1.graphql.json"])
            #expect(result.stdout.contains("INVALID_JSON 1") && result.stdout.contains("UNMAPPED_CATEGORY 1"))
            let logLines = result.stderr.split(separator: "\n")
            #expect(!logLines.isEmpty && logLines.allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })

            let status = try await Binary.run(["status", "--json"], in: spool.root)
            #expect(status.status == 0)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            #expect((json["failuresByCode"] as? [String: Int]) == ["INVALID_JSON": 1, "UNMAPPED_CATEGORY": 1])
        }

        @Test func configurationErrorsExitTwoWithLineAndColumn() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            try "x3:\n  site: FR011\n  entryType: ODT\n  retries: lots\nmapping:\n  categoris: {}\n".write(toFile: spool.root + "/ledgerdrop.yml", atomically: true, encoding: .utf8)
            let result = try await Binary.run(["convert"], in: spool.root)
            #expect(result.status == 2)
            #expect(result.stderr.contains("ledgerdrop.yml:4:12"))
            #expect(result.stderr.contains("ledgerdrop.yml:6:3: unknown key \"categoris\""))
            #expect(try await Binary.run(["convert", "--no-such-flag"], in: spool.root).status == 2)
            try FileManager.default.removeItem(atPath: spool.root + "/ledgerdrop.yml")
            let missing = try await Binary.run(["convert"], in: spool.root)
            #expect(missing.status == 2 && missing.stderr.contains("CONFIG_INVALID"))
        }

        @Test func replayReconvertsAfterTheMappingIsFixed() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            try spool.write("gifts.json", #"{"reportID": "RGIFT", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 100, "category": "Gifts"}]}"#)
            #expect(try await Binary.run(["convert"], in: spool.root).status == 1)
            #expect(spool.names("failed") == ["gifts.json", "gifts.json.error.json"])
            let config = try String(contentsOfFile: spool.root + "/ledgerdrop.yml", encoding: .utf8)
            try config.replacingOccurrences(of: "    Meals:            { account: \"625700\" }", with: "    Meals:            { account: \"625700\" }\n    Gifts:            { account: \"623400\" }")
                .write(toFile: spool.root + "/ledgerdrop.yml", atomically: true, encoding: .utf8)
            let replay = try await Binary.run(["replay", "--all", "--code", "UNMAPPED_CATEGORY"], in: spool.root)
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(spool.names("inbox") == ["gifts.json"] && spool.names("failed").isEmpty)
            #expect(try await Binary.run(["convert"], in: spool.root).status == 0)
            #expect(spool.names("outbox") == ["RGIFT.graphql.json"])
            #expect(try await Binary.run(["replay"], in: spool.root).status == 2, "nothing named: a usage error")
        }

        /// The import route by default (it works on every stock X3), and each route on demand.
        @Test(arguments: [[], ["--route", "soap"], ["--route", "graphql"], ["--route", "file"]])
        func demoRunsTheWholePipeline(route: [String]) async throws {
            let result = try await Binary.run(["demo"] + route, in: Binary.packageRoot)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("(route \(route.last ?? "import"):"))
            // From the Expensify sandbox to the X3 sandbox: 19 reports (in 18 files) become 20 entries.
            #expect(result.stdout.contains("fetch: fetched 19 report(s) of 19 exported"))
            #expect(result.stdout.contains("convert: converted 19 file(s), 20 entries; 0 failed"))
            #expect(result.stdout.contains("post: posted 20, found already posted 0, failed 0"))
            #expect(result.stdout.contains("ODT-FR011-2026-000020"))
            if let folder = result.stdout.split(separator: "\n").last?.split(separator: " ").last?.dropLast() {
                try? FileManager.default.removeItem(atPath: String(folder))
            }
        }

        @Test func initWritesACommentedConfigurationThatLoads() async throws {
            let folder = NSTemporaryDirectory() + "ledgerdrop-init-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let result = try await Binary.run(["init"], in: folder)
            #expect(result.status == 0)
            for name in ["inbox", "outbox", "archive", "done", "failed", "ledgerdrop.yml"] {
                #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name)")
            }
            let dryRun = try await Binary.run(["convert", "--dry-run"], in: folder)
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
        }
    }

    @Suite("ledgerdrop convert never crashes on bad input")
    struct BadInputCommandTests {
        @Test func everyBadInputFailsWithItsCodeAndTheGoodOnesConvert() async throws {
            let spool = try TemporarySpool()
            defer { spool.remove() }
            let bad = try FileManager.default.contentsOfDirectory(atPath: Binary.packageRoot + "/fixtures/bad").filter { $0.contains("--") }
            for name in bad {
                try FileManager.default.copyItem(atPath: Binary.packageRoot + "/fixtures/bad/" + name, toPath: spool.root + "/inbox/" + name)
            }
            let transaction = #"{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals""#
            try spool.write("INVALID_REPORT--huge-comment.json", #"{"reportID": "H", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [\#(transaction), "comment": "\#(String(repeating: "a", count: 5 << 20))"}]}"#)
            try spool.write("INVALID_JSON--deep-nesting.json", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
            try spool.write("good-1.json", #"{"reportID": "GOOD1", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [\#(transaction)}]}"#)
            try spool.write("good-2.json", #"{"reportID": "GOOD2", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [\#(transaction)}]}"#)
            let result = try await Binary.run(["convert"], in: spool.root)
            #expect(result.status == 1, "exit 1: some files failed, the process did not crash (\(result.stderr.suffix(300)))")
            #expect(spool.names("outbox") == ["GOOD1.graphql.json", "GOOD2.graphql.json"])
            #expect(spool.names("archive") == ["good-1.json", "good-2.json"])
            #expect(spool.names("inbox").isEmpty)
            let failed = spool.names("failed").filter { !$0.hasSuffix(".error.json") }
            #expect(failed.count == bad.count + 2)
            for name in failed {
                let error = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: spool.root + "/failed/" + name + ".error.json"))) as? [String: Any])
                #expect(error["code"] as? String == String(name.prefix { $0 != "-" }), "\(name)")
            }
        }
    }
}
