import AsyncHTTPClient
import NIOCore

/// Sage X3 GraphQL (SPEC §6.1): `POST {url}/xtrem/api`, the payload file byte for byte, a bearer
/// token, and the reply read into a `PostOutcome`.
public struct GraphQLTransport: X3Transport {
    let exchange: HTTPExchange
    let x3: Configuration.X3
    let tokens: any TokenSource
    let redact: Redactor

    public init(client: HTTPClient, x3: Configuration.X3, tokens: any TokenSource, redact: Redactor) {
        self.exchange = HTTPExchange(client: client, timeout: x3.timeout, followSameHostRedirects: x3.redirects == .sameHost, limit: 8 << 20)
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
            return Self.classify(reply, redact: redact, numberField: x3.graphql.numberField)
        }
    }

    public func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
        let quoted = Self.quotedInFilter(payload.reference)
        var body = JSONText()
        body.raw("{\"operationName\":\"FindJournalEntry\",\"query\":"); body.string(x3.graphql.lookup)
        body.raw(",\"variables\":{\"filter\":"); body.string("{reference: '\(quoted)', accountingDate: '\(payload.accountingDate)'}")
        body.raw("}}")
        let reply: HTTPExchange.Reply
        switch await send(body.bytes) {
        case .failure(let box): throw LookupFailure(outcome: box.outcome)
        case .success(let r): reply = r
        }
        return try Self.lookupEntries(reply, currency: payload.currency, redact: redact)
    }

    /// The `edges` of a `journalEntry.query` answer, the reference and the fingerprint lookups
    /// alike. An answer that is not a readable GraphQL answer cannot say "not there": it is
    /// retried, never read as an empty list; X3's `errors` are a refusal of the query.
    static func journalEntryEdges(_ reply: HTTPExchange.Reply, redact: Redactor) throws(LookupFailure) -> [JSONValue] {
        if let retry = HTTPFailure.retryable(status: reply.status, retryAfter: reply.header("Retry-After"), reply: redact(reply.excerpt)) {
            throw LookupFailure(outcome: retry)
        }
        guard let document = try? JSONParser.parse(reply.body) else {
            throw LookupFailure(outcome: HTTPFailure.unreadable(status: reply.status, what: "a lookup answer that is not JSON", reply: redact(reply.excerpt)))
        }
        if case .array(let errors)? = document["errors"], !errors.isEmpty {
            throw LookupFailure(outcome: .rejected(LedgerDropError(.x3Rejected, "X3 refused the lookup query: \(redact(Self.messages(document).joined(separator: "; ")))"), reply: redact(reply.excerpt)))
        }
        guard reply.status == 200, case .array(let edges)? = document["data"]?["x3Finance"]?["journalEntry"]?["query"]?["edges"] else {
            throw LookupFailure(outcome: HTTPFailure.unreadable(status: reply.status, what: "a lookup answer without data.x3Finance.journalEntry.query.edges", reply: redact(reply.excerpt)))
        }
        return edges
    }

    /// The entries a reference lookup answer lists.
    package static func lookupEntries(_ reply: HTTPExchange.Reply, currency wanted: String, redact: Redactor) throws(LookupFailure) -> [X3Entry] {
        try journalEntryEdges(reply, redact: redact).compactMap { edge in
            guard let node = edge["node"], case .string(let number)? = node["journalEntryNumber"], !number.isEmpty else { return nil }
            func text(_ key: String) -> String { if case .string(let s)? = node[key] { s } else { "" } }
            // Entries split by currency share reference and date: the currency tells them apart.
            let currency = text("transactionCurrency")
            if !currency.isEmpty, !wanted.isEmpty, currency != wanted { return nil }
            return X3Entry(entryType: X3Text.code(text("journalEntryType")), entryNumber: X3Text.code(number), accountingDate: X3Text.code(text("accountingDate")), reference: X3Text.code(text("reference")))
        }
    }

    /// One request with a bearer token; a 401/403 invalidates the token and tries once more.
    func send(_ body: [UInt8]) async -> Result<HTTPExchange.Reply, PostOutcomeBox> {
        for attempt in 0..<2 {
            let token: String
            do { token = try await tokens.token() } catch {
                switch error {
                case .unreachable(let error): return .failure(PostOutcomeBox(.retryable(reason: error.message, cause: .unreachable, reply: "")))
                case .stop(let error): return .failure(PostOutcomeBox(.systemic(error)))
                }
            }
            var request = HTTPClientRequest(url: apiURL)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "x-xtrem-endpoint", value: x3.endpoint)
            request.headers.add(name: "Authorization", value: "\(tokens.scheme) \(token)")
            request.body = .bytes(ByteBuffer(bytes: body))
            let reply: HTTPExchange.Reply
            do { reply = try await exchange.send(request) } catch {
                return .failure(PostOutcomeBox(HTTPFailure.outcome(of: error, url: x3.url)))
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

    /// What X3's answer to the mutation says (SPEC §6.1, §6.3). Only a readable refusal —
    /// GraphQL `errors` — is permanent; an answer that says neither "created" nor "refused"
    /// means the entry may be there, and it is looked up.
    package static func classify(_ reply: HTTPExchange.Reply, redact: Redactor, numberField: String = "journalEntryNumber") -> PostOutcome {
        let raw = redact(reply.excerpt)
        if let retry = HTTPFailure.retryable(status: reply.status, retryAfter: reply.header("Retry-After"), reply: raw) { return retry }
        guard let document = try? JSONParser.parse(reply.body) else {
            if (400...499).contains(reply.status) {
                // Refused before any processing (a proxy's 404, a 413): not in X3.
                return .rejected(LedgerDropError(.x3Rejected, "X3 answered HTTP \(reply.status) with a body that is not JSON"), reply: raw)
            }
            return HTTPFailure.unreadable(status: reply.status, what: "a body that is not complete JSON", reply: raw)
        }
        let errors = Self.messages(document)
        if !errors.isEmpty {
            return .rejected(LedgerDropError(X3MessageClassifier.code(for: errors), redact(errors.joined(separator: "; "))), reply: raw)
        }
        if (400...499).contains(reply.status) {
            return .rejected(LedgerDropError(.x3Rejected, "X3 answered HTTP \(reply.status)"), reply: raw)
        }
        guard reply.status == 200, let created = document["data"].flatMap({ Self.object(holding: numberField, in: $0) }),
              case .string(let number)? = created[numberField], !number.isEmpty else {
            return HTTPFailure.unreadable(status: reply.status, what: "neither an entry number nor errors", reply: raw)
        }
        let type: String = if case .string(let t)? = created["journalEntryType"] { t } else { "" }
        // X3 stored it: whatever the number looks like, the entry is posted; its text is made
        // safe before it reaches receipts, tables and logs.
        return .posted(X3Entry(entryType: X3Text.code(type), entryNumber: X3Text.code(number)), diagnoses: Self.diagnoses(document, severities: ["1", "2"]).map(X3Text.message))
    }

    /// The first object under `data` that holds `field` (depth first): where the operation puts
    /// the new entry's number (`x3Finance.journalEntry.create` for SPEC §5.1's operation).
    static func object(holding field: String, in value: JSONValue, depth: Int = 0) -> JSONValue? {
        guard depth < 16 else { return nil }
        switch value {
        case .object(let members):
            if members[field] != nil { return value }
            for member in members { if let found = object(holding: field, in: member.value, depth: depth + 1) { return found } }
            return nil
        case .array(let items):
            for item in items { if let found = object(holding: field, in: item, depth: depth + 1) { return found } }
            return nil
        default: return nil
        }
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

extension GraphQLTransport {
    /// Text inside a single-quoted string of an X3 GraphQL filter: backslash and quote escaped.
    static func quotedInFilter(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }
}
