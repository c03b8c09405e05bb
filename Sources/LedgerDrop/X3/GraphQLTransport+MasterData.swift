/// `ledgerdrop check`'s questions to X3 on the GraphQL route (SPEC §11).
extension GraphQLTransport {
    public var checksMasterData: Bool { true }

    /// The nodes the question's query finds (at most 5). The filter travels as a variable,
    /// never spliced into the query text. A server without the node or a property refuses the
    /// query: `X3_REJECTED`.
    public func masterData(_ question: MasterDataQuestion) async throws(LedgerDropError) -> [JSONValue] {
        var body = JSONText()
        body.raw("{\"query\":")
        body.string(question.query)
        body.raw(",\"variables\":{\"filter\":"); body.string(question.filter); body.raw("}}")
        guard let document = try await checkAnswer(body.bytes, to: "the \(question.package).\(question.node) query") else { return [] }
        guard case .array(let edges)? = document["data"]?[question.package]?[question.node]?["query"]?["edges"] else { return [] }
        return edges.compactMap { $0["node"] }
    }

    /// The answer to one of check's read-only questions: X3's refusal or an unreadable answer is
    /// an error; nil when the answer carries no document to read.
    func checkAnswer(_ body: [UInt8], to what: String) async throws(LedgerDropError) -> JSONValue? {
        switch await send(body) {
        case .failure(let box):
            switch box.outcome {
            case .systemic(let error): throw error
            case .retryable(let reason, _, _): throw LedgerDropError(.x3Unreachable, reason)
            case .rejected(let error, _): throw error
            case .posted, .accepted: return nil
            }
        case .success(let reply):
            guard reply.status == 200, let document = try? JSONParser.parse(reply.body) else {
                throw LedgerDropError(.x3Rejected, "X3 answered HTTP \(reply.status) to \(what)")
            }
            if case .array(let errors)? = document["errors"], !errors.isEmpty {
                throw LedgerDropError(.x3Rejected, "X3 refused \(what): \(Self.messages(document).joined(separator: "; "))")
            }
            return document
        }
    }
}
