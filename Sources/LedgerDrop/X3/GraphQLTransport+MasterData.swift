/// `ledgerdrop check`'s questions to X3 on the GraphQL route (SPEC §11).
extension GraphQLTransport {
    public var checksMasterData: Bool { true }

    /// Whether `x3FinanceData.<node>.query(filter:)` finds anything. The filter travels as a
    /// variable, never spliced into the query text.
    public func masterDataExists(node: String, filter: String) async throws(LedgerDropError) -> Bool {
        var body = JSONText()
        body.raw("{\"query\":")
        body.string("query Check($filter: String) { x3FinanceData { \(node) { query(filter: $filter, first: 1) { edges { node { _id } } } } } }")
        body.raw(",\"variables\":{\"filter\":"); body.string(filter); body.raw("}}")
        guard let document = try await checkAnswer(body.bytes, to: "the \(node) query") else { return false }
        if case .array(let edges)? = document["data"]?["x3FinanceData"]?[node]?["query"]?["edges"] { return !edges.isEmpty }
        return false
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
