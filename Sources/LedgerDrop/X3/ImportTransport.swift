/// The import route (SPEC §13.1, §13.2): an entry's import-template records through SOAP `run` on
/// the standard AOWSIMPORT publication, with the web services' Basic user. X3's answer says
/// imported or refused, not the entry number: an imported entry's number is read back with the
/// lookup — the stock fingerprint query by default (`FingerprintLookup` around this transport),
/// or with `x3.lookup: reference` the GAS publication's `query`.
public struct ImportTransport: X3Transport {
    let soap: SOAPTransport
    let x3: Configuration.X3

    public init(soap: SOAPTransport, x3: Configuration.X3) {
        self.soap = soap
        self.x3 = x3
    }

    public func post(_ payload: PayloadFile) async -> PostOutcome {
        guard payload.format == .importRecords else {
            return .rejected(LedgerDropError(.invalidPayload, "\(payload.fileName) is not an import payload (*.import.txt); x3.api import posts only those"), reply: "")
        }
        switch await soap.send(SOAPEnvelope.run(records: payload.records, x3: x3)) {
        case .failure(let box): return box.outcome
        case .success(let reply): return Self.classify(reply, redact: soap.redact)
        }
    }

    public func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
        try await soap.lookup(payload)
    }

    /// SPEC §13.3: the AOWSIMPORT publication answers `getDescription` on the import pool.
    public func checkPublication() async throws(LedgerDropError) -> [(ok: Bool, text: String)] {
        let name = x3.importLayout.publicName
        if case .failure(let problem) = try await soap.describe(SOAPEnvelope.getDescription(importOf: x3), publicName: name) {
            return [(false, problem.text)]
        }
        return [(true, "the publication \(name) answers (template \(x3.importLayout.template))")]
    }

    /// What AOWSIMPORT's answer to `run` says: status 1 without an error message is imported
    /// (its number is then looked up); status 0, or an error message with either status, is a
    /// refusal with X3's messages — one entry per call, so an entry with an error is not in X3.
    /// Anything that is not a readable result may mean the entry is there: it is looked up.
    package static func classify(_ reply: HTTPExchange.Reply, redact: Redactor) -> PostOutcome {
        let raw = redact(reply.excerpt)
        let result: SOAPEnvelope.Result
        switch SOAPTransport.readable(reply, raw: raw) {
        case .failure(let box): return box.outcome
        case .success(let r): result = r
        }
        guard result.status == "1", !result.messages.contains(where: { $0.type == "3" }) else {
            return SOAPTransport.refusal(result, status: reply.status, raw: raw, redact: redact)
        }
        return .accepted(diagnoses: result.messages.map { X3Text.message($0.message) }.filter { !$0.isEmpty })
    }
}
