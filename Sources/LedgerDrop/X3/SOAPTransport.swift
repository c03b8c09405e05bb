import AsyncHTTPClient
import Foundation
import NIOCore

/// The X3 web services (SPEC §6.2): `save` on the GAS publication with HTTP Basic; `status` 1 is
/// saved, 0 is refused with X3's messages; the entry number is `NUM` in `resultXml`.
public struct SOAPTransport: X3Transport {
    let client: HTTPClient
    let x3: Configuration.X3
    let authorization: String
    let redact: Redactor

    public init(client: HTTPClient, x3: Configuration.X3, credentials: X3Credentials, redact: Redactor) {
        self.client = client
        self.x3 = x3
        self.authorization = "Basic " + Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
        self.redact = redact.adding(authorization)
    }

    var endpointURL: String {
        (x3.url.hasSuffix("/") ? String(x3.url.dropLast()) : x3.url) + "/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC"
    }

    public func post(_ payload: PayloadFile) async -> PostOutcome {
        let reply: (status: UInt, retryAfter: String?, body: [UInt8])
        switch await send(SOAPEnvelope.save(objectXml: payload.bytes, soap: x3.soap)) {
        case .failure(let box): return box.outcome
        case .success(let r): reply = r
        }
        let raw = redact(String(decoding: reply.body.prefix(4096), as: UTF8.self))
        if let retry = HTTPFailure.retryable(status: reply.status, retryAfter: reply.retryAfter, reply: raw) { return retry }
        guard let result = SOAPEnvelope.result(reply.body) else {
            let fault = SOAPEnvelope.fault(reply.body)
            return .rejected(LedgerDropError(.x3Rejected, fault.map { "X3 answered with a SOAP fault: \($0)" } ?? "X3 answered HTTP \(reply.status) without a SOAP result"), reply: raw)
        }
        let errors = result.messages.filter { $0.type == "3" }.map(\.message)
        if result.status == "1" {
            let fields = XMLDocumentReader.fields(Array(result.resultXml.utf8))
            guard let number = fields.header["NUM"], !number.isEmpty else {
                return .rejected(LedgerDropError(.x3Rejected, "X3 saved the entry but sent no NUM in resultXml"), reply: raw)
            }
            return .posted(X3Entry(entryType: fields.header["TYP"] ?? payload.entryType, entryNumber: number),
                           diagnoses: result.messages.filter { $0.type != "3" }.map(\.message))
        }
        // "No Web services accepted": every pool entry is busy; nothing was processed.
        if errors.contains(where: { $0.localizedCaseInsensitiveContains("no web services accepted") || $0.localizedCaseInsensitiveContains("no web service accepted") }) {
            return .retryable(reason: "the X3 web-service pool is busy", retryAfter: nil, outcomeUnknown: false, reply: raw)
        }
        let message = errors.isEmpty ? "X3 refused the entry (status \(result.status))" : errors.joined(separator: "; ")
        return .rejected(LedgerDropError(X3MessageClassifier.code(for: errors), redact(message)), reply: raw)
    }

    public func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
        let reply: (status: UInt, retryAfter: String?, body: [UInt8])
        switch await send(SOAPEnvelope.query(reference: payload.reference, soap: x3.soap)) {
        case .failure(let box): throw LookupFailure(outcome: box.outcome)
        case .success(let r): reply = r
        }
        guard reply.status == 200, let result = SOAPEnvelope.result(reply.body), result.status == "1" else {
            throw LookupFailure(outcome: .retryable(reason: "the lookup got HTTP \(reply.status)", retryAfter: nil, outcomeUnknown: true, reply: ""))
        }
        let fields = XMLDocumentReader.fields(Array(result.resultXml.utf8))
        // Count the rows present: declared SIZE attributes do not always match them.
        return fields.lines.compactMap { line in
            guard let number = line["NUM"], !number.isEmpty, line["ACCDAT"] == nil || line["ACCDAT"] == payload.accountingDate.compact,
                  line["CUR"] == nil || line["CUR"] == payload.currency else { return nil }
            return X3Entry(entryType: line["TYP"] ?? "", entryNumber: number, accountingDate: payload.accountingDate.description, reference: payload.reference)
        }
    }

    private func send(_ body: [UInt8]) async -> Result<(status: UInt, retryAfter: String?, body: [UInt8]), PostOutcomeBox> {
        var request = HTTPClientRequest(url: endpointURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/xml; charset=utf-8")
        request.headers.add(name: "SOAPAction", value: "\"\"")
        request.headers.add(name: "Authorization", value: authorization)
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(x3.timeout.nanoseconds))
            let collected = try await response.body.collect(upTo: 8 << 20)
            if response.status.code == 401 || response.status.code == 403 {
                return .failure(PostOutcomeBox(.systemic(LedgerDropError(.authFailed, "X3 refused the user and password (HTTP \(response.status.code)) at \(x3.url)"))))
            }
            return .success((response.status.code, response.headers.first(name: "Retry-After"), Array(buffer: collected)))
        } catch {
            return .failure(PostOutcomeBox(HTTPFailure.outcome(of: error, url: x3.url, redact: redact)))
        }
    }
}
