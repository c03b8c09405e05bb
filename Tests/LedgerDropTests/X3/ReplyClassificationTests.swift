import Testing
@testable import LedgerDrop

/// What X3's answers mean: only a readable refusal is permanent; an answer that says neither
/// "stored" nor "refused" is an unknown outcome, and the entry is looked up.
@Suite("X3 answers read into outcomes")
struct ReplyClassificationTests {
    enum Expected: Sendable { case posted, accepted, rejected(ErrorCode), unknown, busy }

    static func check(_ outcome: PostOutcome, _ expected: Expected) {
        switch (outcome, expected) {
        case (.posted, .posted), (.accepted, .accepted), (.retryable(_, .outcomeUnknown, _), .unknown), (.retryable(_, .busy, _), .busy): break
        case (.rejected(let error, _), .rejected(let code)): #expect(error.code == code)
        default: Issue.record("\(outcome) is not \(expected)")
        }
    }

    static let graphQLCases: [(String, UInt, String, Expected)] = [
        ("created", 200, #"{"data":{"x3Finance":{"journalEntry":{"create":{"journalEntryType":"ODT","journalEntryNumber":"ODT-1"}}}}}"#, .posted),
        ("refused with diagnoses", 200, #"{"data":null,"errors":[{"message":"The record was not created","extensions":{"diagnoses":[{"severity":3,"message":"Account 9: Record does not exist"}]}}]}"#, .rejected(.glAccountNotFound)),
        ("a 500 with GraphQL errors", 500, #"{"errors":[{"message":"Period closed for 2026-10-30"}]}"#, .rejected(.periodClosed)),
        ("truncated JSON 200", 200, #"{"data":{"x3Finance":{"journalEntry":{"create":{"journalEntryTy"#, .unknown),
        ("a proxy's HTML 200", 200, "<html><head><title>Gateway</title></head><body>upstream</body></html>", .unknown),
        ("a text 500", 500, "Internal Server Error", .unknown),
        ("a JSON 500 without errors", 500, #"{"status":"error"}"#, .unknown),
        ("200 without a number", 200, #"{"data":{"x3Finance":{"journalEntry":{"create":null}}}}"#, .unknown),
        ("an empty 200", 200, "", .unknown),
        ("a gateway 502", 502, "<html>Bad Gateway</html>", .unknown),
        ("a gateway 504", 504, "", .unknown),
        ("503", 503, "", .busy),
        ("429", 429, "", .busy),
        ("a proxy's HTML 404", 404, "<html>Not Found</html>", .rejected(.x3Rejected)),
    ]

    @Test(arguments: graphQLCases.map(\.0))
    func graphQL(name: String) {
        let (_, status, body, expected) = Self.graphQLCases.first { $0.0 == name }!
        Self.check(GraphQLTransport.classify(HTTPExchange.Reply(status: status, body: Array(body.utf8)), redact: Redactor(secrets: [])), expected)
    }

    static func soapReply(status: Int, messages: [(Int, String)] = [], header: [(String, String)] = [("NUM", "ODT-2")]) -> String {
        String(decoding: SOAPEnvelope.reply(operation: "save", status: status, messages: messages,
                                            resultXml: SOAPEnvelope.resultDocument(group: "HAE0_1", header: header, table: "HAE2_1", lines: [])), as: UTF8.self)
    }

    static let soapCases: [(String, UInt, String, Expected)] = [
        ("saved", 200, soapReply(status: 1), .posted),
        ("refused", 200, soapReply(status: 0, messages: [(3, "Account 9: Record does not exist")]), .rejected(.glAccountNotFound)),
        ("pool busy", 200, soapReply(status: 0, messages: [(3, "No Web services accepted")]), .busy),
        ("saved without NUM", 200, soapReply(status: 1, header: []), .unknown),
        ("truncated XML 200", 200, String(soapReply(status: 1).prefix(120)), .unknown),
        ("HTML 200", 200, "<html><body>Proxy error</body></html>", .unknown),
        ("text 500", 500, "java.lang.NullPointerException", .unknown),
        ("a SOAP fault", 500, #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Pool LEDGERDROP not started</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#, .unknown),
        ("a gateway 502", 502, "", .unknown),
        ("503", 503, "", .busy),
    ]

    @Test(arguments: soapCases.map(\.0))
    func soap(name: String) {
        let (_, status, body, expected) = Self.soapCases.first { $0.0 == name }!
        Self.check(SOAPTransport.classify(HTTPExchange.Reply(status: status, body: Array(body.utf8)), entryType: "ODT", redact: Redactor(secrets: [])), expected)
    }

    static func runReply(status: Int, messages: [(Int, String)] = []) -> String {
        String(decoding: SOAPEnvelope.reply(operation: "run", status: status, messages: messages, resultXml: #"{"GRP1":{"I_MODIMP":"YLDGAS"}}"#), as: UTF8.self)
    }

    /// AOWSIMPORT's `run` (SPEC §13.2): imported means "look the number up", never a number.
    static let importCases: [(String, UInt, String, Expected)] = [
        ("imported", 200, runReply(status: 1, messages: [(1, "1 record(s) created")]), .accepted),
        ("refused, status 0", 200, runReply(status: 0, messages: [(3, "Account 9: Record does not exist")]), .rejected(.glAccountNotFound)),
        ("an error message with status 1", 200, runReply(status: 1, messages: [(3, "Accounting date 01062025: period closed")]), .rejected(.periodClosed)),
        ("a missing template", 200, runReply(status: 0, messages: [(3, "Import template: mandatory field")]), .rejected(.x3Rejected)),
        ("pool busy", 200, runReply(status: 0, messages: [(3, "No Web services accepted")]), .busy),
        ("status 0 without messages", 200, runReply(status: 0), .rejected(.x3Rejected)),
        ("an odd status", 200, runReply(status: 7), .unknown),
        ("truncated XML 200", 200, String(runReply(status: 1).prefix(100)), .unknown),
        ("text 500", 500, "Internal Server Error", .unknown),
        ("a gateway 504", 504, "", .unknown),
        ("503", 503, "", .busy),
        ("a proxy's HTML 404", 404, "<html>Not Found</html>", .rejected(.x3Rejected)),
    ]

    @Test(arguments: importCases.map(\.0))
    func importRun(name: String) {
        let (_, status, body, expected) = Self.importCases.first { $0.0 == name }!
        Self.check(ImportTransport.classify(HTTPExchange.Reply(status: status, body: Array(body.utf8)), redact: Redactor(secrets: [])), expected)
    }

    @Test func aLookupAnswerThatCannotBeReadIsNeverAnEmptyList() throws {
        let payload = try PayloadFile.probe()
        for body in ["", "<html>proxy</html>", #"{"data":{"x3Fin"#, #"{"data":null}"#] {
            #expect(throws: LookupFailure.self) { try GraphQLTransport.lookupEntries(HTTPExchange.Reply(status: 200, body: Array(body.utf8)), currency: "EUR", redact: Redactor(secrets: [])) }
            #expect(throws: LookupFailure.self) { try SOAPTransport.lookupEntries(HTTPExchange.Reply(status: 200, body: Array(body.utf8)), payload: payload, redact: Redactor(secrets: [])) }
        }
        let none = try GraphQLTransport.lookupEntries(HTTPExchange.Reply(status: 200, body: Array(#"{"data":{"x3Finance":{"journalEntry":{"query":{"edges":[]}}}}}"#.utf8)), currency: "EUR", redact: Redactor(secrets: []))
        #expect(none.isEmpty)
    }

    @Test func x3TextIsMadeSafeBeforeItIsRecorded() {
        #expect(X3Text.code("ODT-1\u{1B}[31m") == "ODT-1?[31m")
        #expect(X3Text.code(String(repeating: "9", count: 100)).count == X3Text.codeLimit + 1)
        #expect(X3Text.message("line\nbreak\u{202E}") == "line?break?")
        let outcome = GraphQLTransport.classify(HTTPExchange.Reply(status: 200, body: Array(#"{"data":{"x3Finance":{"journalEntry":{"create":{"journalEntryNumber":"ODT\u001b]0;pwned\u0007"}}}}}"#.utf8)), redact: Redactor(secrets: []))
        guard case .posted(let entry, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(entry.entryNumber == "ODT?]0;pwned?")
    }
}
