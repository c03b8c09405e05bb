import Foundation
import LedgerDropSandbox
import Testing

extension EndToEnd {
    /// Issue 11's several companies through the built binary: the fixture companies (FR on
    /// FR011 with the top-level mapping; US on US011 with its own Meals account, employee and
    /// payable) post to their own sites on every route; a third policy is UNMAPPED_POLICY and
    /// nothing of it reaches outbox/.
    @Suite("Several companies: each policy's reports on its own site")
    struct CompaniesTests {
        static let folder = Binary.packageRoot + "/fixtures/companies"

        static func harness(api: String) async throws -> SandboxHarness {
            let harness = try await SandboxHarness.start(api: api, expensifyReports: try ExpensifyReport.load(folder: folder + "/reports"))
            let path = harness.spool.root + "/ledgerdrop.yml"
            let text = try String(contentsOfFile: path, encoding: .utf8) + "\n" + String(contentsOfFile: folder + "/companies.yml", encoding: .utf8)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return harness
        }

        static func json(_ path: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        }

        @Test(arguments: ["graphql", "soap", "import", "file"])
        func eachCompanyPostsToItsOwnSite(api: String) async throws {
            let harness = try await Self.harness(api: api)
            defer { Task { await harness.stop() } }
            for name in try FileManager.default.contentsOfDirectory(atPath: Self.folder + "/reports") {
                try FileManager.default.copyItem(atPath: Self.folder + "/reports/" + name, toPath: harness.spool.root + "/inbox/" + name)
            }
            let convert = try await harness.run(["convert"])
            #expect(convert.status == 1, "\(convert.stderr)")
            // The policy of no company: failed with its code, nothing of it in outbox/.
            #expect(harness.spool.names("failed") == ["C3-policy-of-no-company.json", "C3-policy-of-no-company.json.error.json"])
            let error = try Self.json(harness.spool.root + "/failed/C3-policy-of-no-company.json.error.json")
            #expect(error["code"] as? String == "UNMAPPED_POLICY", "\(error)")
            #expect("\(error)".contains("5F5F5F5F5F5F5F5F") && "\(error)".contains("Acme Asia"), "\(error)")
            let outbox = harness.spool.names("outbox")
            #expect(outbox.count == 2 && outbox.allSatisfy { $0.hasPrefix("RCOFR01.") || $0.hasPrefix("RCOUS01.") }, "\(outbox)")
            #expect(try await harness.run(["post"]).status == 0)
            if api == "file" {
                #expect(await harness.sandbox.loadImportFolder(harness.spool.root + "/x3-import") == 2)
                #expect(try await harness.run(["post"]).status == 0)
            }
            let ledger = try harness.ledger()
            #expect(ledger.count == 2)
            let fr = try #require(ledger.first { $0.reference == "RCOFR01" })
            let us = try #require(ledger.first { $0.reference == "RCOUS01" })
            #expect(fr.site == "FR011" && us.site == "US011")
            #expect(fr.currency == "EUR" && us.currency == "USD")
            // FR: the top-level mapping. US: its overlaid Meals account and payable, its own
            // employee; what it does not overlay (Hotel, the card offset) from the top level.
            #expect(fr.lines.contains { $0.account == "625700" } && fr.lines.contains { $0.account == "421000" && $0.businessPartner == "EMP0042" })
            #expect(us.lines.contains { $0.account == "625710" && $0.dimensions["CCT"] == "SALES" } && !us.lines.contains { $0.account == "625700" }, "\(us.lines)")
            #expect(us.lines.contains { $0.account == "421100" && $0.businessPartner == "EMPUS01" } && !us.lines.contains { $0.account == "421000" }, "\(us.lines)")
            #expect(us.lines.contains { $0.account == "625600" } && us.lines.contains { $0.account == "467100" })
            if api == "import" || api == "file" {
                #expect(us.lines.first { $0.account == "421100" }?.controlAccount == "EMU")
            }
            // The receipt names the company and its site; the audit lines the company.
            for (report, company, site) in [("RCOFR01", "FR", "FR011"), ("RCOUS01", "US", "US011")] {
                let receipt = try Self.json(harness.spool.root + "/done/\(report).receipt.json")
                #expect(receipt["company"] as? String == company && receipt["site"] as? String == site, "\(receipt)")
            }
            let audit = try String(contentsOfFile: harness.spool.root + "/audit.log", encoding: .utf8).split(separator: "\n")
            #expect(audit.filter { $0.contains(#""reportID":"RCOUS01""#) && $0.contains(#""event":"converted""#) }.allSatisfy { $0.contains(#""company":"US""#) })
            #expect(audit.contains { $0.contains(#""reportID":"RCOFR01""#) && $0.contains(#""event":"posted""#) && $0.contains(#""company":"FR""#) })
        }

        @Test func fetchAsksForTheCompaniesPoliciesAndStatusAndAuditGroupByCompany() async throws {
            let harness = try await Self.harness(api: "graphql")
            defer { Task { await harness.stop() } }
            // Acme US is named, not given by ID: fetch looks it up in Expensify's policy list.
            let fetch = try await harness.run(["fetch", "--since", "2026-11-01"])
            #expect(fetch.status == 0, "\(fetch.stderr)")
            #expect(harness.spool.names("inbox") == ["RCOFR01.json", "RCOUS01.json"], "the policy of no company is not fetched")
            #expect(try await harness.run(["convert"]).status == 0)
            #expect(try await harness.run(["post"]).status == 0)
            try harness.spool.write("stray.json", try String(contentsOfFile: Self.folder + "/reports/C3-policy-of-no-company.json", encoding: .utf8))
            #expect(try await harness.run(["convert"]).status == 1)
            let audit = try await harness.run(["audit", "--by", "company"])
            #expect(audit.status == 0)
            for heading in ["company FR: 1 entry, 1 posted, 0 waiting, 0 failed", "company US: 1 entry, 1 posted, 0 waiting, 0 failed", "no company: 1 entry, 0 posted, 0 waiting, 1 failed"] {
                #expect(audit.stdout.contains(heading), "\(audit.stdout)")
            }
            let us = try await harness.run(["audit", "--company", "US", "--format", "csv"])
            #expect(us.stdout.contains("RCOUS01") && !us.stdout.contains("RCOFR01"), "\(us.stdout)")
            let status = try await harness.run(["status", "--by", "company"])
            #expect(status.stdout.contains("by company") && status.stdout.contains("company US: 1 entry, 1 posted"), "\(status.stdout)")
        }
    }
}
