import AsyncHTTPClient
import Foundation
import NIOCore

/// The X3 web services (SPEC §6.2): `save` on the GAS publication with HTTP Basic; `status` 1 is
/// saved, 0 is refused with X3's messages; the entry number is `NUM` in `resultXml`.
public struct SOAPTransport: X3Transport {
    let exchange: HTTPExchange
    let x3: Configuration.X3
    let authorization: String
    let redact: Redactor

    public init(client: HTTPClient, x3: Configuration.X3, credentials: X3Credentials, redact: Redactor) {
        self.exchange = HTTPExchange(client: client, timeout: x3.timeout, followSameHostRedirects: x3.redirects == .sameHost, limit: 8 << 20)
        self.x3 = x3
        self.authorization = "Basic " + Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
        self.redact = redact.adding(authorization).adding(String(authorization.dropFirst(6)))
    }

    var endpointURL: String {
        (x3.url.hasSuffix("/") ? String(x3.url.dropLast()) : x3.url) + "/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC"
    }

    public func post(_ payload: PayloadFile) async -> PostOutcome {
        switch await send(SOAPEnvelope.save(objectXml: payload.bytes, soap: x3.soap)) {
        case .failure(let box): return box.outcome
        case .success(let reply): return Self.classify(reply, entryType: payload.entryType, redact: redact)
        }
    }

    /// What X3's answer to `save` says (SPEC §6.2, §6.3). Only `status` 0 with X3's messages is a
    /// refusal; a reply that is not a readable SOAP result (truncated, HTML, a fault) or a saved
    /// entry without its number means the entry may be there, and it is looked up.
    package static func classify(_ reply: HTTPExchange.Reply, entryType: String, redact: Redactor) -> PostOutcome {
        let raw = redact(reply.excerpt)
        let result: SOAPEnvelope.Result
        switch readable(reply, raw: raw) {
        case .failure(let box): return box.outcome
        case .success(let r): result = r
        }
        guard result.status == "1" else { return refusal(result, status: reply.status, raw: raw, redact: redact) }
        let fields = XMLDocumentReader.fields(Array(result.resultXml.utf8))
        guard let number = fields.header["NUM"], !number.isEmpty else {
            return HTTPFailure.unreadable(status: reply.status, what: "a saved entry without its NUM", reply: raw)
        }
        return .posted(X3Entry(entryType: X3Text.code(fields.header["TYP"] ?? entryType), entryNumber: X3Text.code(number)),
                       diagnoses: result.messages.filter { $0.type != "3" }.map { X3Text.message($0.message) })
    }

    /// The SOAP result of a reply, or what the reply means when it has none: a retryable status,
    /// a refusal before any processing (4xx), or an unreadable answer (the entry may be there).
    static func readable(_ reply: HTTPExchange.Reply, raw: String) -> Result<SOAPEnvelope.Result, PostOutcomeBox> {
        if let retry = HTTPFailure.retryable(status: reply.status, retryAfter: reply.header("Retry-After"), reply: raw) { return .failure(PostOutcomeBox(retry)) }
        guard let result = SOAPEnvelope.result(reply.body) else {
            if (400...499).contains(reply.status) {
                return .failure(PostOutcomeBox(.rejected(LedgerDropError(.x3Rejected, "X3 answered HTTP \(reply.status) without a SOAP result"), reply: raw)))
            }
            let what = SOAPEnvelope.fault(reply.body).map { "a SOAP fault (\(X3Text.message($0)))" } ?? "no readable SOAP result"
            return .failure(PostOutcomeBox(HTTPFailure.unreadable(status: reply.status, what: what, reply: raw)))
        }
        return .success(result)
    }

    /// A result that is not a success: status 0 with X3's messages is a refusal (the §10 code
    /// from them), or a busy pool; any other status cannot be read.
    static func refusal(_ result: SOAPEnvelope.Result, status: UInt, raw: String, redact: Redactor) -> PostOutcome {
        let errors = result.messages.filter { $0.type == "3" }.map { X3Text.message($0.message) }
        guard result.status == "0" || result.status == "1" && !errors.isEmpty else {
            return HTTPFailure.unreadable(status: status, what: "a SOAP result of status \"\(X3Text.code(result.status))\"", reply: raw)
        }
        // "No Web services accepted": every pool entry is busy; nothing was processed (SPEC §6.3).
        if errors.contains(where: { $0.localizedCaseInsensitiveContains("no web services accepted") || $0.localizedCaseInsensitiveContains("no web service accepted") }) {
            return .retryable(reason: "the X3 web-service pool is busy", cause: .busy(retryAfter: nil), reply: raw)
        }
        let message = errors.isEmpty ? "X3 refused the entry (status 0)" : errors.joined(separator: "; ")
        return .rejected(LedgerDropError(X3MessageClassifier.code(for: errors), redact(message)), reply: raw)
    }

    /// SPEC §13.3: `getDescription` of the publication, compared with `x3.soap.layout` — every
    /// missing group, field, line table and dimension column named on its own line.
    public func checkPublication() async throws(LedgerDropError) -> [(ok: Bool, text: String)] {
        let name = x3.soap.publicName
        let result: SOAPEnvelope.Result
        switch try await describe(SOAPEnvelope.getDescription(publicName: name, soap: x3.soap), publicName: name) {
        case .failure(let problem): return [(false, problem.text)]
        case .success(let r): result = r
        }
        guard let description = PublicationDescription(resultXml: result.resultXml) else {
            return [(false, "the getDescription answer of \(name) lists no groups or tables")]
        }
        return description.findings(for: x3.soap.layout, publicName: name)
    }

    /// The answer to a `getDescription` envelope of publication `publicName`, or the line that
    /// says why there is none (a credential refusal or an unreachable server is thrown).
    func describe(_ envelope: [UInt8], publicName name: String) async throws(LedgerDropError) -> Result<SOAPEnvelope.Result, PublicationProblem> {
        switch await send(envelope) {
        case .failure(let box):
            if case .systemic(let error) = box.outcome { throw error }
            return .failure(PublicationProblem(text: "the publication \(name) does not answer getDescription"))
        case .success(let reply):
            guard reply.status == 200, let result = SOAPEnvelope.result(reply.body) else {
                return .failure(PublicationProblem(text: "the publication \(name) does not answer getDescription (HTTP \(reply.status))"))
            }
            guard result.status == "1" else {
                let why = result.messages.map { X3Text.message($0.message) }.joined(separator: "; ")
                return .failure(PublicationProblem(text: "the publication \(name) is not available: \(why.isEmpty ? "status \(X3Text.code(result.status))" : redact(why))"))
            }
            return .success(result)
        }
    }

    struct PublicationProblem: Error { var text: String }

    public func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
        let reply: HTTPExchange.Reply
        switch await send(SOAPEnvelope.query(reference: payload.reference, soap: x3.soap)) {
        case .failure(let box): throw LookupFailure(outcome: box.outcome)
        case .success(let r): reply = r
        }
        return try Self.lookupEntries(reply, payload: payload, redact: redact)
    }

    /// The entries a `query` answer lists. Anything but a readable result of status 1 cannot say
    /// "not there": it is retried, never read as an empty list.
    package static func lookupEntries(_ reply: HTTPExchange.Reply, payload: PayloadFile, redact: Redactor) throws(LookupFailure) -> [X3Entry] {
        if let retry = HTTPFailure.retryable(status: reply.status, retryAfter: reply.header("Retry-After"), reply: redact(reply.excerpt)) {
            throw LookupFailure(outcome: retry)
        }
        guard reply.status == 200, let result = SOAPEnvelope.result(reply.body), result.status == "1" else {
            throw LookupFailure(outcome: HTTPFailure.unreadable(status: reply.status, what: "a lookup answer that is not a SOAP result of status 1", reply: redact(reply.excerpt)))
        }
        let fields = XMLDocumentReader.fields(Array(result.resultXml.utf8))
        // Count the rows present: declared SIZE attributes do not always match them.
        return fields.lines.compactMap { line in
            guard let number = line["NUM"], !number.isEmpty, line["ACCDAT"] == nil || line["ACCDAT"] == payload.accountingDate.compact,
                  line["CUR"] == nil || line["CUR"] == payload.currency else { return nil }
            return X3Entry(entryType: X3Text.code(line["TYP"] ?? ""), entryNumber: X3Text.code(number), accountingDate: payload.accountingDate.description, reference: payload.reference)
        }
    }

    func send(_ body: [UInt8]) async -> Result<HTTPExchange.Reply, PostOutcomeBox> {
        var request = HTTPClientRequest(url: endpointURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/xml; charset=utf-8")
        request.headers.add(name: "SOAPAction", value: "\"\"")
        request.headers.add(name: "Authorization", value: authorization)
        request.body = .bytes(ByteBuffer(bytes: body))
        let reply: HTTPExchange.Reply
        do { reply = try await exchange.send(request) } catch {
            return .failure(PostOutcomeBox(HTTPFailure.outcome(of: error, url: x3.url)))
        }
        if reply.status == 401 || reply.status == 403 {
            return .failure(PostOutcomeBox(.systemic(LedgerDropError(.authFailed, "X3 refused the user and password (HTTP \(reply.status)) at \(x3.url)"))))
        }
        return .success(reply)
    }
}
