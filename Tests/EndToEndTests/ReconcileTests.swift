import Foundation
import LedgerDrop
import LedgerDropSandbox
import Testing

extension EndToEnd {
    /// Issue 12 through the built binary: the fixture week (2026-W45, every fixture approved on
    /// 2026-11-02) fetched, converted and posted, then spoiled in the sandboxes as people would;
    /// `reconcile` names exactly what was spoiled, and after the fixes everything reconciles.
    @Suite("ledgerdrop reconcile against both sandboxes", .serialized)
    struct ReconcileTests {
        static let week = ["--week", "2026-W45"]

        /// A report in the fixtures' shape, approved in the week.
        static func report(_ id: String, approved: String = "2026-11-04 10:00:00", category: String = "Meals", amount: Int = 4200, merchant: String = "Bistro") -> ExpensifyReport {
            let json = #"{"reportID": "\#(id)", "reportName": "Week report \#(id)", "status": "Approved", "policyID": "F0D3B1A2C4E5F607", "policyName": "Acme EU", "currency": "EUR", "total": \#(amount), "created": "2026-11-03", "submitted": "2026-11-03 09:00:00", "approved": "\#(approved)", "accountEmail": "jane.doe@acme.example", "submitterPayrollID": "EMP-0042", "submitterName": "Jane Doe", "managerEmail": "boss@acme.example", "transactions": [{"transactionID": "\#(id)-1", "created": "2026-11-03", "merchant": \#(String(decoding: try! JSONSerialization.data(withJSONObject: merchant, options: .fragmentsAllowed), as: UTF8.self)), "amount": \#(amount), "currency": "EUR", "category": "\#(category)", "reimbursable": true}]}"#
            return try! ExpensifyReport.parse(Array(json.utf8))[0]
        }

        /// The fixture week posted end to end, with one report that fails at convert.
        static func postedWeek() async throws -> SandboxHarness {
            let harness = try await SandboxHarness.start()
            await harness.expensify.state.add([report("RWFAIL01", category: "Gifts")])
            let fetch = try await harness.run(["fetch", "--since", "2026-11-02", "--until", "2026-11-08"])
            #expect(fetch.status == 0, "\(fetch.stderr)")
            #expect(try await harness.run(["convert"]).status == 1, "RWFAIL01 fails: Gifts is not mapped")
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            return harness
        }

        static func number(_ harness: SandboxHarness, _ reference: String) throws -> String {
            try #require(harness.ledger().first { $0.reference == reference }?.entryNumber)
        }

        /// The report's lines: `report entry verdict …` per entry line of the table.
        static func verdicts(_ table: String) -> [String: String] {
            var found: [String: String] = [:]
            for verdict in ReconcileVerdict.allCases.map(\.rawValue) {
                for line in table.split(separator: "\n") where !line.hasPrefix(" ") && line.contains("  \(verdict)  ") {
                    found[String(line.split(separator: " ")[0])] = verdict
                }
            }
            return found
        }

        @Test func namesExactlyTheFiveSpoiledReportsAndReconcilesOnceTheyAreFixed() async throws {
            let harness = try await Self.postedWeek()
            defer { Task { await harness.stop() } }
            let clean = try await harness.run(["reconcile"] + Self.week)
            #expect(clean.status == 1, "RWFAIL01 failed: \(clean.stdout)")
            #expect(Self.verdicts(clean.stdout).filter { $0.value != "reconciled" } == ["RWFAIL01": "failed"], "\(clean.stdout)")

            // As people would: an entry removed in X3, an amount changed there (on a debit and
            // its credit), a report edited in Expensify after posting, one approved and never fetched.
            let removed = try Self.number(harness, "R00I7J3xs5fn")
            #expect(await harness.sandbox.state.remove(entryNumber: removed))
            let changed = try Self.number(harness, "R00Refund0001")
            // Its first line, a debit of 450.00, and its last, the credit of 330.00 to the employee.
            let lines = try #require(harness.ledger().first { $0.entryNumber == changed }?.lines)
            #expect(lines.first?.amount == "450.00" && lines.last?.amount == "330.00" && lines.last?.sign == -1, "\(lines)")
            #expect(await harness.sandbox.state.change(entryNumber: changed, amounts: [0: "440.00", lines.count - 1: "320.00"]))
            var edited = try #require(await harness.expensify.state.reports.first { $0.reportID == "R00TaxSplit01" })
            edited.json = Array(String(decoding: edited.json, as: UTF8.self).replacingOccurrences(of: "\"comment\": \"", with: "\"comment\": \"edited after posting: ").utf8)
            edited.json = Array(String(decoding: edited.json, as: UTF8.self).replacingOccurrences(of: "\"comment\":\"", with: "\"comment\":\"edited after posting: ").utf8)
            await harness.expensify.state.add([edited])
            await harness.expensify.state.add([Self.report("RWNEW001", approved: "2026-11-05 11:00:00")])

            let page = harness.spool.root + "/week.html"
            let spoiled = try await harness.run(["reconcile", "--html", page] + Self.week)
            #expect(spoiled.status == 1)
            #expect(try String(contentsOfFile: page, encoding: .utf8).contains("data-report=\"RWNEW001\" data-verdict=\"missing in the spool\""))
            if let keep = ProcessInfo.processInfo.environment["LEDGERDROP_KEEP_PAGE"] {
                try? FileManager.default.removeItem(atPath: keep)
                try FileManager.default.copyItem(atPath: page, toPath: keep)
            }
            let verdicts = Self.verdicts(spoiled.stdout)
            #expect(verdicts.filter { $0.value != "reconciled" } == [
                "R00I7J3xs5fn": "missing in X3", "R00Refund0001": "different in X3", "R00TaxSplit01": "changed in Expensify",
                "RWNEW001": "missing in the spool", "RWFAIL01": "failed",
            ], "\(spoiled.stdout)")
            #expect(verdicts.count == 21, "every report of the week has its line: \(verdicts.count)")
            // Every line names the report and the X3 entry number.
            #expect(spoiled.stdout.contains("R00I7J3xs5fn    \(removed)"))
            #expect(spoiled.stdout.contains("  R00Refund0001 \(changed): 625100 debit: posted 450.00, X3 has 440.00"), "\(spoiled.stdout)")
            #expect(spoiled.stdout.contains("  R00Refund0001 \(changed): 421000 credit: posted 330.00, X3 has 320.00"), "\(spoiled.stdout)")

            // Offline: no service reachable (the configuration points at a port nothing listens
            // on), none asked, and said.
            let unreachable = try String(contentsOfFile: harness.spool.root + "/ledgerdrop.yml", encoding: .utf8)
                .replacingOccurrences(of: harness.sandbox.url, with: "http://127.0.0.1:9").replacingOccurrences(of: harness.expensify.url, with: "http://127.0.0.1:9/Integration-Server/ExpensifyIntegrations")
            try unreachable.write(toFile: harness.spool.root + "/unreachable.yml", atomically: true, encoding: .utf8)
            #expect(try await harness.run(["reconcile", "--config", "unreachable.yml"] + Self.week).status == 3, "asked, X3 and Expensify cannot be reached")
            let offline = try await harness.run(["reconcile", "--offline", "--config", "unreachable.yml"] + Self.week)
            #expect(offline.status == 1, "RWFAIL01 is still failed")
            #expect(offline.stdout.contains("not checked: Expensify not asked (--offline)") && offline.stdout.contains("not checked: X3 not asked (--offline)"))
            #expect(Self.verdicts(offline.stdout)["R00I7J3xs5fn"] == "posted, not checked" && Self.verdicts(offline.stdout)["RWNEW001"] == nil)

            // The fixes: the mapping, the replays, the fetches, the reversals in X3.
            let config = harness.spool.root + "/ledgerdrop.yml"
            try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "    Meals:            { account: \"625700\" }", with: "    Meals:            { account: \"625700\" }\n    Gifts:            { account: \"625700\" }")
                .write(toFile: config, atomically: true, encoding: .utf8)
            #expect(try await harness.run(["replay", "RWFAIL01"]).status == 0)
            #expect(try await harness.run(["replay", "--repost", "R00I7J3xs5fn"]).status == 0)
            #expect(await harness.sandbox.state.remove(entryNumber: changed), "the changed entry reversed in X3")
            #expect(try await harness.run(["replay", "--repost", "R00Refund0001"]).status == 0)
            #expect(await harness.sandbox.state.remove(entryNumber: try Self.number(harness, "R00TaxSplit01")), "the edited report's entry reversed in X3")
            #expect(try await harness.run(["replay", "--refetch", "R00TaxSplit01"]).status == 0)
            #expect(try await harness.run(["fetch", "--report", "RWNEW001", "R00TaxSplit01"]).status == 0)
            let run = try await harness.run(["convert"])
            #expect(run.status == 0, "\(run.stderr)")
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            let fixed = try await harness.run(["reconcile"] + Self.week)
            #expect(fixed.status == 0, "\(fixed.stdout)\n\(fixed.stderr)")
            #expect(Self.verdicts(fixed.stdout).values.allSatisfy { $0 == "reconciled" } && Self.verdicts(fixed.stdout).count == 21, "\(fixed.stdout)")

            // The totals are the posted lines' sums, exactly: from the payloads and from X3.
            let csv = try await harness.run(["reconcile", "--format", "csv", "--totals"] + Self.week)
            var expected: [String: (debit: Decimal, credit: Decimal)] = [:]
            for entry in try harness.ledger() {
                for line in entry.lines {
                    let key = "\(line.account),\(line.dimensions["CCT"] ?? ""),\(entry.currency)"
                    let amount = try #require(Decimal(string: line.amount))
                    if line.sign == 1 { expected[key, default: (0, 0)].debit += amount } else { expected[key, default: (0, 0)].credit += amount }
                }
            }
            var seen = 0
            for record in csv.stdout.split(separator: "\r\n").dropFirst() {
                let fields = record.dropFirst().dropLast().components(separatedBy: "\",\"")
                let key = "\(fields[1]),\(fields[2]),\(fields[3])"
                let sums = try #require(expected[key], "\(key) is in X3's ledger")
                #expect(Decimal(string: fields[4]) == sums.debit && Decimal(string: fields[5]) == sums.credit, "payloads \(record)")
                #expect(Decimal(string: fields[6]) == sums.debit && Decimal(string: fields[7]) == sums.credit, "X3 \(record)")
                seen += 1
            }
            #expect(seen == expected.count && seen > 5)
        }
    }
}
