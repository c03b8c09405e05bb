import Foundation
import Testing
@testable import LedgerDrop

@Suite("Expensify replies: 200 is not success by itself")
struct ExpensifyReplyTests {
    /// Bodies recorded from the live Integration Server (research/samples, xrl/expensify-rs).
    static func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.packageRoot + "/../shared/research/samples/expensify/xrl__expensify-rs/" + name)))
    }

    @Test func theLiveExportReplyIsABareFileName() throws {
        let body = try Self.sample("file-submit.txt")
        #expect(try ExpensifyReply.fileName(status: 200, retryAfter: nil, body: body) == "export0fd99e06-a636-4974-b6bc-3ceb12163386.csv")
        #expect(try ExpensifyReply.fileName(status: 200, retryAfter: nil, body: body + [0x0A]) == "export0fd99e06-a636-4974-b6bc-3ceb12163386.csv")
    }

    @Test(arguments: ["create-expense-rules.json", "create-expenses.json", "reimburse-all-skipped.json", "reimburse-mixed.json"])
    func liveSuccessEnvelopesPassTheCommonChecks(name: String) throws {
        let body = try Self.sample(name)
        try ExpensifyReply.check(status: 200, retryAfter: nil, body: body)
        #expect(ExpensifyReply.envelope(body)?.code == 200)
        // An envelope is never taken for an export's file name.
        #expect(throws: ExpensifyReply.Failure.self) { try ExpensifyReply.fileName(status: 200, retryAfter: nil, body: body) }
    }

    @Test(arguments: [
        (#"{"responseMessage":"You have been rate-limited.","responseCode":429}"#, UInt(200), "rate"),
        (#"{"responseMessage":"You have been rate-limited.","responseCode":429}"#, UInt(429), "rate"),
        ("", UInt(429), "rate"),
        (#"{"responseMessage":"Authentication error","responseCode":500}"#, UInt(200), "auth"),
        (#"{"responseMessage":"Not authorized to authenticate as user user@domain.com","responseCode":500}"#, UInt(200), "auth"),
        (#"{"responseCode":410,"responseMessage":"Malformed date '16-01-01'. Expected format is yyyy-MM-dd"}"#, UInt(200), "refused"),
        (#"{"responseMessage":"No Template Submitted","responseCode":500}"#, UInt(200), "refused"),
        ("<html><head><title>HTTP Status 500 - requestJobDescription</title></head></html>", UInt(200), "malformed"),
        ("<html><head><title>502 Bad Gateway</title></head></html>", UInt(502), "transient"),
        ("Forbidden", UInt(403), "auth"),
    ])
    func errorsAreClassified(body: String, status: UInt, kind: String) {
        do {
            try ExpensifyReply.check(status: status, retryAfter: nil, body: Array(body.utf8))
            Issue.record("\(body) passed")
        } catch {
            switch (error, kind) {
            case (.rateLimited, "rate"), (.authentication, "auth"), (.refused, "refused"), (.malformed, "malformed"), (.transient, "transient"): break
            default: Issue.record("\(body): \(error), expected \(kind)")
            }
        }
    }

    @Test func anHTMLPageIsNamedByItsTitle() {
        let page = Array("<html><head><title>HTTP Status 500 - JSONObject text must begin with '{'</title></head><body>…</body></html>".utf8)
        #expect(throws: ExpensifyReply.Failure.malformed("Expensify answered with an HTML page instead of a reply: HTTP Status 500 - JSONObject text must begin with '{'")) {
            try ExpensifyReply.check(status: 200, retryAfter: nil, body: page)
        }
    }

    @Test func emptyBodies() throws {
        // An empty export reply is an error; an empty download means "not rendered yet".
        #expect(throws: ExpensifyReply.Failure.self) { try ExpensifyReply.fileName(status: 200, retryAfter: nil, body: []) }
        #expect(try ExpensifyReply.file(status: 200, retryAfter: nil, body: []) == nil)
        #expect(try ExpensifyReply.file(status: 200, retryAfter: nil, body: Array(" \n".utf8)) == nil)
        // A rendered export with no report is "[]", a file like any other.
        #expect(try ExpensifyReply.file(status: 200, retryAfter: nil, body: Array("[]".utf8)) == Array("[]".utf8))
        #expect(throws: ExpensifyReply.Failure.refused(code: 0, message: "File not found")) {
            try ExpensifyReply.file(status: 200, retryAfter: nil, body: Array(#"{"responseMessage":"File not found"}"#.utf8))
        }
    }

    @Test func retryAfterIsRead() {
        #expect(throws: ExpensifyReply.Failure.rateLimited(retryAfter: .seconds(30))) { try ExpensifyReply.check(status: 429, retryAfter: " 30", body: []) }
    }

    @Test func policyList() throws {
        let body = Array(#"{"policyList":[{"id":"DEADBEEF12345678","name":"Acme EU","role":"admin","type":"corporate","tax":"{\"name\":\"VAT\"}","isPolicyExpenseChatEnabled":"1"},{"id":"0810E551A5F2A9C2"}],"responseCode":200}"#.utf8)
        let policies = try ExpensifyReply.policies(status: 200, retryAfter: nil, body: body)
        #expect(policies.map(\.id) == ["DEADBEEF12345678", "0810E551A5F2A9C2"])
        #expect(policies.first?.name == "Acme EU")
    }
}
