import Foundation
import Testing
@testable import LedgerDrop

@Suite("Expensify jobs: form-encoded, read-only, the template as its own field")
struct ExpensifyJobTests {
    let credentials = ExpensifyCredentials(partnerUserID: "aa_finance_acme_com", partnerUserSecret: "s+cr3t/&=%")

    func fields(_ form: [UInt8]) -> [String: String] {
        var result: [String: String] = [:]
        for pair in String(decoding: form, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            result[String(parts[0])] = String(parts[1]).removingPercentEncoding
        }
        return result
    }

    @Test func exportJob() throws {
        let filters = ExportFilters(reportStates: ["APPROVED", "REIMBURSED", "CLOSED"], approvedAfter: Day("2026-11-20"), policyIDs: ["F0D3B1A2C4E5F607", "0810E551A5F2A9C2"])
        let form = ExpensifyJob.export(filters).form(credentials: credentials, template: "[<#list reports as r>${r.reportID?json_string}+</#list>]")
        let text = String(decoding: form, as: UTF8.self)
        // Every byte outside the unreserved set is escaped: a '+' never turns into a space.
        #expect(!text.contains("+") && text.contains("%2B"))
        let fields = fields(form)
        #expect(fields["template"] == "[<#list reports as r>${r.reportID?json_string}+</#list>]")
        let job = try #require(try JSONSerialization.jsonObject(with: Data(fields["requestJobDescription"]!.utf8)) as? [String: Any])
        #expect(job["type"] as? String == "file")
        #expect((job["credentials"] as? [String: String]) == ["partnerUserID": "aa_finance_acme_com", "partnerUserSecret": "s+cr3t/&=%"])
        #expect((job["onReceive"] as? [String: [String]]) == ["immediateResponse": ["returnRandomFileName"]])
        let input = try #require(job["inputSettings"] as? [String: Any])
        #expect(input["type"] as? String == "combinedReportData")
        #expect(input["reportState"] as? String == "APPROVED,REIMBURSED,ARCHIVED")
        #expect((input["filters"] as? [String: String]) == ["approvedAfter": "2026-11-20", "policyIDList": "F0D3B1A2C4E5F607,0810E551A5F2A9C2"])
        #expect((job["outputSettings"] as? [String: String]) == ["fileExtension": "json"])
        // Expensify is never written to (SPEC §7.4).
        #expect(job["onFinish"] == nil && !fields["requestJobDescription"]!.contains("markAsExported"))
        #expect(job["template"] == nil)
    }

    @Test func downloadAndPolicyListJobsCarryNoTemplate() throws {
        let download = fields(ExpensifyJob.download(fileName: "export0fd99e06.json").form(credentials: credentials, template: "T"))
        #expect(download["template"] == nil)
        let job = try #require(try JSONSerialization.jsonObject(with: Data(download["requestJobDescription"]!.utf8)) as? [String: Any])
        #expect(job["type"] as? String == "download" && job["fileName"] as? String == "export0fd99e06.json" && job["fileSystem"] as? String == "integrationServer")
        let policies = fields(ExpensifyJob.policyList.form(credentials: credentials, template: "T"))
        let get = try #require(try JSONSerialization.jsonObject(with: Data(policies["requestJobDescription"]!.utf8)) as? [String: Any])
        #expect(get["type"] as? String == "get" && (get["inputSettings"] as? [String: String]) == ["type": "policyList"])
    }

    @Test func reportIDsGoInReportIDList() throws {
        let form = fields(ExpensifyJob.export(ExportFilters(reportStates: ["APPROVED"], reportIDs: ["R00I7J3xs5fn", "R00X9oNOn2MO"])).form(credentials: credentials, template: "T"))
        let job = try #require(try JSONSerialization.jsonObject(with: Data(form["requestJobDescription"]!.utf8)) as? [String: Any])
        #expect(((job["inputSettings"] as? [String: Any])?["filters"] as? [String: String]) == ["reportIDList": "R00I7J3xs5fn,R00X9oNOn2MO"])
    }
}
