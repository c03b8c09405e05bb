import AsyncHTTPClient
import NIOCore

/// Sage X3 GraphQL (SPEC §6.1): `POST {url}/xtrem/api`, the payload file byte for byte, a bearer
/// token, and the reply read into a `PostOutcome`.
public struct GraphQLTransport: X3Transport {
    let client: HTTPClient
    let x3: Configuration.X3
    let tokens: any TokenSource
    let redact: Redactor

    public init(client: HTTPClient, x3: Configuration.X3, tokens: any TokenSource, redact: Redactor) {
        self.client = client
        self.x3 = x3
        self.tokens = tokens
        self.redact = redact
    }

    var apiURL: String { x3.url.hasSuffix("/") ? x3.url + "xtrem/api" : x3.url + "/xtrem/api" }

    public func post(_ payload: PayloadFile) async -> PostOutcome {
        switch await send(payload.bytes) {
        case .failure(let box):
            return box.outcome
        case .success(let reply):
            return classify(reply)
        }
    }

    public func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
        let quoted = payload.reference.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        var body = JSONText()
        body.raw("{\"operationName\":\"FindJournalEntry\",\"query\":"); body.string(x3.graphql.lookup)
        body.raw(",\"variables\":{\"filter\":"); body.string("{reference: '\(quoted)', accountingDate: '\(payload.accountingDate)'}")
        body.raw("}}")
        let reply: Reply
        switch await send(body.bytes) {
        case .failure(let box): throw LookupFailure(outcome: box.outcome)
        case .success(let r): reply = r
        }
        guard reply.status == 200, let document = try? JSONParser.parse(reply.body) else {
            throw LookupFailure(outcome: .retryable(reason: "the lookup got HTTP \(reply.status)", retryAfter: nil, outcomeUnknown: true, reply: redact(reply.text)))
        }
        if case .array(let errors)? = document["errors"], !errors.isEmpty {
            throw LookupFailure(outcome: .rejected(LedgerDropError(.x3Rejected, "X3 refused the lookup query: \(Self.messages(document).joined(separator: "; "))"), reply: redact(reply.text)))
        }
        guard case .array(let edges)? = document["data"]?["x3Finance"]?["journalEntry"]?["query"]?["edges"] else { return [] }
        return edges.compactMap { edge in
            guard let node = edge["node"], case .string(let number)? = node["journalEntryNumber"], !number.isEmpty else { return nil }
            func text(_ key: String) -> String { if case .string(let s)? = node[key] { s } else { "" } }
            // Entries split by currency share reference and date: the currency tells them apart.
            let currency = text("transactionCurrency")
            if !currency.isEmpty, !payload.currency.isEmpty, currency != payload.currency { return nil }
            return X3Entry(entryType: text("journalEntryType"), entryNumber: number, accountingDate: text("accountingDate"), reference: text("reference"))
        }
    }

    struct Reply {
        var status: UInt
        var retryAfter: String?
        var body: [UInt8]
        var text: String { String(decoding: body.prefix(4096), as: UTF8.self) }
    }

    /// One request with a bearer token; a 401/403 invalidates the token and tries once more.
    func send(_ body: [UInt8]) async -> Result<Reply, PostOutcomeBox> {
        for attempt in 0..<2 {
            let token: String
            do { token = try await tokens.token() } catch {
                return .failure(PostOutcomeBox(error.code == .authFailed ? .systemic(error) : .retryable(reason: error.message, retryAfter: nil, outcomeUnknown: false, reply: "")))
            }
            var request = HTTPClientRequest(url: apiURL)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "x-xtrem-endpoint", value: x3.endpoint)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.body = .bytes(ByteBuffer(bytes: body))
            let reply: Reply
            do {
                let response = try await client.execute(request, timeout: .nanoseconds(x3.timeout.nanoseconds))
                let collected = try await response.body.collect(upTo: 8 << 20)
                reply = Reply(status: response.status.code, retryAfter: response.headers.first(name: "Retry-After"), body: Array(buffer: collected))
            } catch {
                return .failure(PostOutcomeBox(HTTPFailure.outcome(of: error, url: x3.url, redact: redact)))
            }
            if reply.status == 401 || reply.status == 403 {
                await tokens.invalidate()
                if attempt == 0 { continue }
                return .failure(PostOutcomeBox(.systemic(LedgerDropError(.authFailed, "X3 refused the credentials (HTTP \(reply.status)) at \(x3.url)"))))
            }
            return .success(reply)
        }
        return .failure(PostOutcomeBox(.systemic(LedgerDropError(.authFailed, "X3 refused the credentials at \(x3.url)"))))
    }

    func classify(_ reply: Reply) -> PostOutcome {
        let raw = redact(reply.text)
        if let retry = HTTPFailure.retryable(status: reply.status, retryAfter: reply.retryAfter, reply: raw) { return retry }
        guard let document = try? JSONParser.parse(reply.body) else {
            return .rejected(LedgerDropError(.x3Rejected, "X3 answered HTTP \(reply.status) with a body that is not JSON"), reply: raw)
        }
        let errors = Self.messages(document)
        if !errors.isEmpty || reply.status != 200 {
            let code = X3MessageClassifier.code(for: errors)
            let message = errors.isEmpty ? "X3 answered HTTP \(reply.status)" : errors.joined(separator: "; ")
            return .rejected(LedgerDropError(code, redact(message)), reply: raw)
        }
        guard let created = document["data"]?["x3Finance"]?["journalEntry"]?["create"],
              case .string(let number)? = created["journalEntryNumber"], !number.isEmpty else {
            return .rejected(LedgerDropError(.x3Rejected, "X3 answered without a journalEntryNumber"), reply: raw)
        }
        let type: String = if case .string(let t)? = created["journalEntryType"] { t } else { "" }
        return .posted(X3Entry(entryType: type, entryNumber: number), diagnoses: Self.diagnoses(document, severities: ["1", "2"]))
    }

    /// X3's error messages: `errors[].message`, their severity-3 diagnoses, and top-level ones.
    static func messages(_ document: JSONValue) -> [String] {
        var result: [String] = []
        if case .array(let errors)? = document["errors"] {
            for error in errors {
                let details = diagnoses(error, severities: ["3", "4"])
                if details.isEmpty, case .string(let message)? = error["message"] { result.append(message) }
                result += details
            }
        }
        return result + diagnoses(document, severities: ["3", "4"])
    }

    static func diagnoses(_ value: JSONValue, severities: Set<String>) -> [String] {
        guard case .array(let list)? = value["extensions"]?["diagnoses"] else { return [] }
        return list.compactMap { diagnosis in
            guard case .number(let severity)? = diagnosis["severity"], severities.contains(severity),
                  case .string(let message)? = diagnosis["message"] else { return nil }
            return message
        }
    }
}

/// `PostOutcome` as an `Error`, for `Result`.
struct PostOutcomeBox: Error {
    var outcome: PostOutcome
    init(_ outcome: PostOutcome) { self.outcome = outcome }
}
