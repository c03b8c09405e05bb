import Foundation
import Hummingbird
import LedgerDrop
import NIOCore

/// The routes of the X3 sandbox.
struct X3Endpoints: Sendable {
    let state: X3SandboxState
    let credentials: X3SandboxCredentials

    func register(on router: Router<BasicRequestContext>) {
        router.post("/xtrem/api") { request, _ in try await graphQL(request) }
        router.post("/oauth/token") { request, _ in try await oauthToken(request) }
        registerSOAP(on: router)
        router.post("/__sandbox/faults") { request, _ in
            var request = request
            let faults = try JSONDecoder().decode(SandboxFaults.self, from: Data(buffer: try await request.collectBody(upTo: 1 << 16)))
            await state.setFaults(faults)
            return Response(status: .noContent)
        }
        router.post("/__sandbox/accounts/{account}") { _, context in
            await state.addAccount(context.parameters.get("account") ?? "")
            return Response(status: .noContent)
        }
        router.get("/__sandbox/ledger") { _, _ in
            json(try JSONEncoder().encode(await state.ledger))
        }
    }

    // MARK: - GraphQL

    func graphQL(_ request: Request) async throws -> Response {
        var request = request
        await state.countRequest()
        let faults = await state.faults
        if faults.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(faults.latencyMilliseconds)) }
        guard await authorized(request.headers[.authorization] ?? "") else {
            return json(["errors": [["message": "Unauthorized"]]], status: .unauthorized)
        }
        guard request.headers.contains(where: { $0.name.canonicalName == "x-xtrem-endpoint" }) else {
            return json(["errors": [["message": "missing x-xtrem-endpoint header"]]], status: .badRequest)
        }
        let body = Array(buffer: try await request.collectBody(upTo: 8 << 20))
        guard let document = try? JSONParser.parse(body), case .string(let query)? = document["query"] else {
            // Like a real web framework, a malformed body gets a stack trace, not GraphQL JSON.
            return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "TypeError: Cannot read properties of undefined (reading 'query')\n    at GraphqlEndpoint.handle (xtrem-core/lib/graphql.js:212:31)")))
        }
        if query.contains("x3FinanceData") || query.contains("x3MasterData") {
            let filter: String = if case .string(let text)? = document["variables"]?["filter"] { text } else { "" }
            return await masterData(query: query, filter: filter)
        }
        if query.contains("__type"), case .string(let name)? = document["variables"]?["name"] {
            return introspect(name)
        }
        if query.contains("mutation"), query.contains("createJournalEntry"), let input = document["variables"]?["input"] {
            if await state.faults.kinds == [.echoCredentials] {
                return json(["errors": [["message": "Token refused for this operation: \(request.headers[.authorization] ?? "")"]]])
            }
            return try await createCustomer(input)
        }
        if query.contains("mutation"), let data = document["variables"]?["data"] {
            if await state.faults.kinds == [.echoCredentials] {
                return json(["errors": [["message": "Token refused for this operation: \(request.headers[.authorization] ?? "")"]]])
            }
            return try await create(data)
        }
        if query.contains("journalEntryLines"), case .string(let filter)? = document["variables"]?["filter"] {
            return await stockQuery(filter)
        }
        if query.contains("journalEntry"), query.contains("query("), case .string(let filter)? = document["variables"]?["filter"] {
            return await lookup(filter)
        }
        return json(["errors": [["message": "Cannot query field: this sandbox knows the journal-entry mutation and lookup"]]], status: .badRequest)
    }

    func create(_ data: JSONValue) async throws -> Response {
        func text(_ value: JSONValue?) -> String { if case .string(let s)? = value { s } else { "" } }
        guard case .array(let lines)? = data["lines"] else {
            return json(["errors": [["message": "Variable \"$data\" got invalid value: lines is required"]]], status: .badRequest)
        }
        var entryLines: [X3LedgerEntry.Line] = []
        for line in lines {
            guard case .number(let amountText)? = line["transactionAmount"], ExactDecimal(Substring(amountText)) != nil,
                  case .number(let signText)? = line["sign"], let sign = Int(signText) else {
                return json(["errors": [["message": "Variable \"$data\" got invalid value: transactionAmount and sign are required"]]], status: .badRequest)
            }
            var dimensions: [String: String] = [:]
            if case .array(let list)? = line["dimensions"] {
                for item in list { dimensions[text(item["dimensionType"])] = text(item["dimension"]) }
            }
            entryLines.append(.init(account: text(line["account"]), sign: sign, amount: amountText, description: text(line["lineDescription"]),
                                    businessPartner: text(line["businessPartner"]), dimensions: dimensions, tax: text(line["tax"])))
        }
        let entry = X3LedgerEntry(entryNumber: "", entryType: text(data["journalEntryType"]), site: text(data["site"]),
                                  accountingDate: text(data["accountingDate"]), currency: text(data["transactionCurrency"]),
                                  reference: text(data["reference"]), description: text(data["description"]), api: "graphql", lines: entryLines)
        return try await store(entry, answerPath: ["x3Finance", "journalEntry", "create"])
    }

    /// The debit and credit totals of an entry's lines. (Computed here, not passed into the async
    /// `store`: a tuple of Int128-backed decimals as an async parameter crashed the debug build.)
    static func totals(_ entry: X3LedgerEntry) -> (ExactDecimal, ExactDecimal) {
        var debit = ExactDecimal(significand: 0, scale: 0)
        var credit = debit
        for line in entry.lines {
            guard let amount = ExactDecimal(Substring(line.amount)) else { continue }
            if line.sign == 1 { debit = debit.adding(amount) } else { credit = credit.adding(amount) }
        }
        return (debit, credit)
    }

    /// Stores an entry read from either operation, with the sandbox's faults, and answers with
    /// the number under `answerPath` (where that operation selects it).
    func store(_ entry: X3LedgerEntry, answerPath: [String]) async throws -> Response {
        // Built as JSONValue: Foundation's JSONSerialization on Linux crashes bridging an Any
        // that holds a dictionary nested inside built dictionaries.
        func nested(_ leaf: JSONValue) -> JSONValue {
            answerPath.reversed().reduce(leaf) { value, key in .object(JSONObject([(key: key, value: value)])) }
        }
        let fault = await state.fault(for: entry.reference)
        switch fault {
        case .unavailable?: return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "<html><body>503 Service Unavailable</body></html>")))
        case .tooManyRequests?: return Response(status: .tooManyRequests, headers: [.retryAfter: "0"])
        case .dropBefore?: return dropConnection()
        default: break
        }
        switch await state.create(entry, totals: Self.totals(entry)) {
        case .failure(let refusal):
            let diagnoses = refusal.diagnoses.map { diagnosis -> JSONValue in
                .object(["message": .string(diagnosis.message), "path": .array(diagnosis.path.map { .string($0) }), "severity": .number("3")])
            }
            let error = JSONValue.object(["extensions": .object(["diagnoses": .array(diagnoses)]), "message": .string("The record was not created"),
                                          "path": .array(answerPath.map { .string($0) })])
            return json(Data(JSONValue.object(JSONObject([(key: "data", value: nested(.null)), (key: "errors", value: .array([error]))])).encoded))
        case .success(let posted):
            if fault == .dropAfter { return dropConnection() }
            if fault == .timeout { try await Task.sleep(for: .seconds(3600)) }
            let created = JSONValue.object(["journalEntryType": .string(posted.entryType), "journalEntryNumber": .string(posted.entryNumber)])
            let diagnosis = JSONValue.object(["message": .string("Journal entry created [[NUM:\(posted.entryNumber)]]"), "severity": .number("1")])
            let answer = Data(JSONValue.object(JSONObject([(key: "data", value: nested(created)), (key: "extensions", value: .object(["diagnoses": .array([diagnosis])]))])).encoded)
            return Self.storedAnswer(fault, answer: Array(answer), contentType: "application/json") ?? json(answer)
        }
    }

    func lookup(_ filter: String) async -> Response {
        let reference = Self.filterValue(filter, "reference") ?? ""
        let date = Self.filterValue(filter, "accountingDate")
        let found = await state.find(reference: reference, accountingDate: date)
        let edges = found.map { ["node": ["journalEntryType": $0.entryType, "journalEntryNumber": $0.entryNumber, "accountingDate": $0.accountingDate, "reference": $0.reference, "transactionCurrency": $0.currency]] }
        return json(["data": ["x3Finance": ["journalEntry": ["query": ["edges": edges]]]]])
    }

    /// The stock read-only `journalEntry` query (SPEC §13.5): entries of a site, type and date,
    /// or of a type and number, references as `{code}` objects, with their lines and each line's
    /// analytical (dimension) pairs — and no `reference` field.
    func stockQuery(_ filter: String) async -> Response {
        let found: [X3LedgerEntry]
        if let type = Self.filterValue(filter, "journalEntryType: {code"), let number = Self.filterValue(filter, "journalEntryNumber") {
            found = await state.entry(type: type, number: number).map { [$0] } ?? []
        } else if let site = Self.filterValue(filter, "site: {code"), let type = Self.filterValue(filter, "journalEntryType: {code"),
                  let date = Self.filterValue(filter, "accountingDate") {
            found = await state.ledger.filter { $0.site == site && $0.entryType == type && $0.accountingDate == date }
        } else {
            return json(["errors": [["message": "Invalid filter: \(filter)"]]], status: .badRequest)
        }
        let edges = found.map { entry -> [String: Any] in
            let lines = entry.lines.enumerated().map { index, line -> [String: Any] in
                let pairs = line.dimensions.sorted { $0.key < $1.key }.map { ["node": ["dimensionType": ["code": $0.key], "dimension": ["code": $0.value]]] }
                let analytical: [[String: Any]] = pairs.isEmpty ? [] : [["node": ["dimensions": ["query": ["edges": pairs]]]]]
                return ["node": ["lineNumber": index + 1, "ledgerTypeNumber": 1, "account": ["code": line.account], "businessPartner": ["code": line.businessPartner],
                                 "sign": line.sign, "transactionAmount": NSDecimalNumber(string: line.amount), "lineDescription": line.description,
                                 "analyticalLines": ["query": ["edges": analytical]]] as [String: Any]]
            }
            return ["node": ["journalEntryType": ["code": entry.entryType], "journalEntryNumber": entry.entryNumber, "site": ["code": entry.site],
                             "accountingDate": entry.accountingDate, "transactionCurrency": ["code": entry.currency],
                             "journalEntryLines": ["query": ["edges": lines]]] as [String: Any]]
        }
        return json(["data": ["x3Finance": ["journalEntry": ["query": ["edges": edges]]]]])
    }

    /// The master-data queries `ledgerdrop check` and `convert` ask: `x3FinanceData.period`,
    /// `.account`, `.dimension`, `.controlAccount` (collective accounts by control-account code)
    /// and `x3MasterData.businessPartner`.
    func masterData(query: String, filter: String) async -> Response {
        let master = await state.master
        // `… { <package> { <node> { query(…` → the package and node asked for.
        let words = query.split(whereSeparator: { $0 == " " || $0 == "{" || $0 == "(" }).map(String.init)
        guard let at = words.firstIndex(where: { $0 == "x3FinanceData" || $0 == "x3MasterData" }), at + 1 < words.count else {
            return json(["errors": [["message": "Cannot query field"]]], status: .badRequest)
        }
        let (package, node) = (words[at], words[at + 1])
        var edges: [[String: Any]] = []
        switch (package, node) {
        case ("x3FinanceData", "period"):
            // Status as Sage's reference names the enumeration's values.
            edges = master.periods.map { ["node": ["code": String($0.from.prefix(7)), "status": $0.open ? "open" : "closed", "startDate": $0.from, "endDate": $0.to]] }
        case ("x3FinanceData", "account"):
            if let code = Self.filterValue(filter, "code"), master.accounts.contains(code) { edges = [["node": ["_id": code, "code": code]]] }
        case ("x3FinanceData", "dimension"):
            if let type = Self.filterValue(filter, "_id"), let value = Self.filterValue(filter, "dimension"), (master.dimensions[type] ?? []).contains(value) {
                edges = [["node": ["_id": "\(type)~\(value)", "dimension": value]]]
            }
        case ("x3FinanceData", "controlAccount"):
            let account = Self.filterValue(filter, "account: {code")
            edges = (master.controlAccounts ?? [:]).sorted { $0.key < $1.key }.filter { account == nil || $0.value == account }
                .map { ["node": ["_id": $0.key, "code": $0.key, "account": ["code": $0.value]]] }
        case ("x3MasterData", "businessPartner"):
            if let code = Self.filterValue(filter, "code"), let control = master.businessPartners?[code] {
                edges = [["node": ["_id": code, "code": code, "controlAccount": ["code": control]]]]
            }
        default:
            return json(["errors": [["message": "Cannot query field \"\(node)\" on type \"\(package)\""]]], status: .badRequest)
        }
        return json(["data": [package: [node: ["query": ["edges": edges]]]]])
    }

    /// `{reference: 'R1', accountingDate: '2026-10-30'}` → the quoted value of `key`.
    static func filterValue(_ filter: String, _ key: String) -> String? {
        guard let start = filter.range(of: "\(key): '") else { return nil }
        var value = ""
        var escaped = false
        for character in filter[start.upperBound...] {
            if escaped { value.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "'" { return value }
            value.append(character)
        }
        return nil
    }

    // MARK: - OAuth2 and authorization

    func oauthToken(_ request: Request) async throws -> Response {
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: 1 << 16))
        guard body.contains("grant_type=client_credentials"),
              credentials.matchesBasic(request.headers[.authorization] ?? "", id: credentials.clientID, secret: credentials.clientSecret) else {
            return json(["error": "invalid_client"], status: .unauthorized)
        }
        let token = await state.issueToken(lifetime: 300)
        return json(["access_token": token, "token_type": "Bearer", "expires_in": 300])
    }

    func authorized(_ header: String) async -> Bool {
        // The web services' user may read too (the lookup of the import route).
        if header.hasPrefix("Basic ") { return credentials.matchesBasic(header, id: credentials.user, secret: credentials.password) }
        guard header.hasPrefix("Bearer ") else { return false }
        let token = String(header.dropFirst(7))
        if token.split(separator: ".").count == 3 { return credentials.verify(jwt: token) }
        return await state.isValid(token: token)
    }

    // MARK: - Helpers

    /// The answer after a stored entry, spoiled the way `fault` says (nil: the answer as it is).
    static func storedAnswer(_ fault: SandboxFaults.Kind?, answer: [UInt8], contentType: String) -> Response? {
        switch fault {
        case .storedTruncated?:
            return Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: answer.prefix(answer.count / 2))))
        case .storedHTML?:
            let page = "<!DOCTYPE html><html><head><title>Request accepted</title></head><body><p>Your request is being processed by the gateway.</p></body></html>"
            return Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: page)))
        case .storedText500?:
            return Response(status: .internalServerError, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "Internal Server Error: session pool exhausted after commit")))
        case .storedDrip?:
            return Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(contentLength: answer.count) { writer in
                for byte in answer {
                    try await Task.sleep(for: .seconds(1))
                    try await writer.write(ByteBuffer(bytes: [byte]))
                }
            })
        default:
            return nil
        }
    }

    /// Headers go out, then the connection is cut: the client cannot know what happened.
    func dropConnection() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(contentLength: 4096) { _ in
            throw CancellationError()
        })
    }

    func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        json((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), status: status)
    }

    func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
