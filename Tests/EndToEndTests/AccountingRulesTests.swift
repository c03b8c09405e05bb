import Foundation
import LedgerDropSandbox
import Testing

extension EndToEnd {
    /// SPEC §13.4 through the built binary against the sandbox, which enforces X3's accounting
    /// rules: collective accounts need a known BP (and, in import records, its control-account
    /// code), accounts subject to tax need a tax code, and the entry status is recorded.
    @Suite("X3's accounting rules (control accounts, tax codes, entry status)")
    struct AccountingRulesTests {
        static let meal = #"{"reportID": "RMEAL", "currency": "EUR", "total": 1200, "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1200, "category": "Meals", "taxCode": "FR-VAT-20", "taxAmount": 200}]}"#
        static let asia = #"{"reportID": "RASIA", "currency": "EUR", "total": 800, "accountEmail": "li.wei@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 800, "category": "Taxi"}]}"#

        @Test func theImportRecordsCarryTheControlAccountAndTheTaxCodes() async throws {
            let harness = try await SandboxHarness.start(api: "import")
            defer { Task { await harness.stop() } }
            try harness.copyFixtureReports()
            #expect(try await harness.run(["convert"]).status == 0)
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            let lines = try harness.ledger().flatMap(\.lines)
            let employees = lines.filter { $0.account == "421000" }
            #expect(!employees.isEmpty && employees.allSatisfy { $0.controlAccount == "EMP" && $0.businessPartner.hasPrefix("EMP0") }, "\(employees)")
            let vat = lines.filter { $0.account.hasPrefix("4456") }
            #expect(!vat.isEmpty && vat.allSatisfy { ["FRA20", "GBS20"].contains($0.tax ?? "") }, "\(vat)")
        }

        /// A rule broken in the configuration: X3's message in the error file, X3_REJECTED (not
        /// GL_ACCOUNT_NOT_FOUND although the message names an account), no retry.
        @Test(arguments: [
            ("no control-account code", "controlAccount: EMP", "controlAccount: \"\"", "RMEAL", "Control account: mandatory field for collective account 421000"),
            ("an unknown control-account code", "controlAccount: EMP", "controlAccount: CRD", "RMEAL", "Control account CRD: Record does not exist"),
            ("an employee X3 does not have", "businessPartner: \"EMP0077\"", "businessPartner: \"EMP0999\"", "RASIA", "Business partner EMP0999: Record does not exist"),
            ("a tax line without its code", "code: FRA20", "code: \"\"", "RMEAL", "Account 445660: tax code mandatory"),
        ])
        func x3RefusesWhatItsRulesForbid(_ rule: String, _ original: String, _ broken: String, _ report: String, _ message: String) async throws {
            let harness = try await SandboxHarness.start(api: "import")
            defer { Task { await harness.stop() } }
            try harness.spool.edit(original, broken)
            try harness.spool.write("meal.json", Self.meal)
            try harness.spool.write("asia.json", Self.asia)
            let convert = try await harness.run(["convert"])
            #expect(convert.status == 0, "\(convert.stderr)")
            let post = try await harness.run(["post"])
            #expect(post.status == 1, "\(rule): \(post.stderr)")
            #expect(try !harness.ledger().map(\.reference).contains(report))
            let error = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/failed/\(report).import.txt.error.json"))) as? [String: Any])
            #expect(error["code"] as? String == "X3_REJECTED")
            #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
            #expect(error["attempts"] as? Int == 1)
        }

        static let late = #"{"reportID": "RLATE", "currency": "EUR", "total": 4500, "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2025-12-18", "amount": 4500, "category": "Meals"}]}"#

        /// A late claim in a closed period (the sandbox's 2025): with next-open, dated the first
        /// open day as X3's own periods say (read through its GraphQL API), the expense date kept
        /// as the source date, and the receipt and audit say so; with fail, PERIOD_CLOSED naming
        /// the period.
        @Test func aLateExpenseMovesToTheNextOpenPeriodOrFails() async throws {
            let harness = try await SandboxHarness.start(api: "soap")
            defer { Task { await harness.stop() } }
            try harness.spool.edit("posting:\n", "posting:\n  closedPeriod: next-open\n")
            try harness.spool.write("late.json", Self.late)
            let convert = try await harness.run(["convert"])
            #expect(convert.status == 0, "\(convert.stderr)")
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            let entry = try #require(try harness.ledger().first)
            #expect(entry.accountingDate == "2026-01-01" && entry.sourceDate == "2025-12-18")
            let receipt = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/done/RLATE.receipt.json"))) as? [String: Any])
            #expect(receipt["movedToOpenPeriod"] as? [String: String] == ["from": "2025-12-18", "to": "2026-01-01"])
            let audit = try String(contentsOfFile: harness.spool.root + "/audit.log", encoding: .utf8)
            #expect(audit.contains("dated 2026-01-01, the first day of the next open period: its expenses are of 2025-12-18"))
            #expect(audit.contains("dated 2026-01-01, moved from 2025-12-18 (a closed period)"))
            let shown = try await harness.run(["audit", "--report", "RLATE"])
            #expect(shown.stdout.contains("moved from (closed period)") && shown.stdout.contains("2025-12-18"), "\(shown.stdout)")

            // The same claim with posting.closedPeriod: fail is X3's refusal, the period named.
            try harness.spool.edit("  closedPeriod: next-open\n", "  closedPeriod: fail\n")
            try harness.spool.write("late-again.json", Self.late.replacingOccurrences(of: "RLATE", with: "RLATE2"))
            #expect(try await harness.run(["convert"]).status == 0)
            #expect(try await harness.run(["post"]).status == 1)
            let error = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/failed/RLATE2.xml.error.json"))) as? [String: Any])
            #expect(error["code"] as? String == "PERIOD_CLOSED")
            #expect((error["message"] as? String)?.contains("period 2025-01-01 to 2025-12-31 closed") == true, "\(error)")
        }

        /// With x3.openPeriods the closed period is known at convert: fail stops it there.
        @Test func listedOpenPeriodsRefuseALateExpenseAtConvert() async throws {
            let harness = try await SandboxHarness.start(api: "import")
            defer { Task { await harness.stop() } }
            try harness.spool.edit("  journal: \"\"\n", "  journal: \"\"\n  openPeriods: [ { from: 2026-01-01, to: 2026-12-31 } ]\n")
            try harness.spool.write("late.json", Self.late)
            let convert = try await harness.run(["convert"])
            #expect(convert.status == 1)
            let error = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: harness.spool.root + "/failed/late.json.error.json"))) as? [String: Any])
            #expect(error["code"] as? String == "PERIOD_CLOSED")
            #expect((error["message"] as? String)?.contains("entry RLATE is dated 2025-12-18, in a closed period; open: 2026-01-01 to 2026-12-31") == true, "\(error)")
            #expect(harness.spool.names("outbox").isEmpty)
        }

        @Test(arguments: [("temporary", "1"), ("final", "2")])
        func theEntryStatusReachesX3(_ status: String, _ code: String) async throws {
            let harness = try await SandboxHarness.start(api: "soap")
            defer { Task { await harness.stop() } }
            try harness.spool.edit("  journal: \"\"\n", "  journal: \"\"\n  entryStatus: \(status)\n")
            try harness.spool.write("meal.json", Self.meal)
            #expect(try await harness.run(["convert"]).status == 0)
            let post = try await harness.run(["post"])
            #expect(post.status == 0, "\(post.stderr)")
            #expect(try harness.ledger().map(\.status) == [code])
        }
    }
}

extension TemporarySpool {
    /// Replaces text in the spool's configuration (once: the text must be there).
    func edit(_ original: String, _ replacement: String) throws {
        let path = root + "/ledgerdrop.yml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard text.contains(original) else { throw CocoaError(.fileReadCorruptFile) }
        try text.replacingOccurrences(of: original, with: replacement).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
