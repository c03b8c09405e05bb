/// Reads a posted entry back with its lines, through the stock read-only `x3Finance.journalEntry`
/// query (SPEC §13.5; every route that reads X3 has it): filtered on entry type and number.
extension GraphQLTransport {
    public static let defaultEntryRead = """
        query ReadEntry($filter: String) { x3Finance { journalEntry { query(filter: $filter, first: 2) {
          edges { node { journalEntryType { code } journalEntryNumber site { code } accountingDate transactionCurrency { code }
            journalEntryLines { query(first: 1000) { edges { node { lineNumber ledgerTypeNumber account { code } businessPartner { code }
              sign transactionAmount
              analyticalLines { query(first: 100) { edges { node { dimensions { query(first: 50) { edges { node { dimensionType { code } dimension { code } } } } } } } } } } } } } } } } } }
        """

    /// The entry of this type and number; nil when X3 does not hold it. Throws what a lookup
    /// throws: retryable when X3 did not answer readably, a refusal when it refused the query.
    public func readEntry(type: String, number: String) async throws(LookupFailure) -> X3PostedEntry? {
        func quoted(_ text: String) -> String { "'" + Self.quotedInFilter(text) + "'" }
        var body = JSONText()
        body.raw("{\"operationName\":\"ReadEntry\",\"query\":"); body.string(Self.defaultEntryRead)
        body.raw(",\"variables\":{\"filter\":"); body.string("{journalEntryType: {code: \(quoted(type))}, journalEntryNumber: \(quoted(number))}")
        body.raw("}}")
        switch await send(body.bytes) {
        case .failure(let box): throw LookupFailure(outcome: box.outcome)
        case .success(let reply):
            let edges = try Self.journalEntryEdges(reply, redact: redact)
            for edge in edges {
                guard let node = edge["node"], let entry = Self.postedEntry(node), entry.entryNumber == number else { continue }
                return entry
            }
            return nil
        }
    }

    /// One `journalEntry` node with its lines; nil when it is not readable as one.
    static func postedEntry(_ node: JSONValue) -> X3PostedEntry? {
        let code = FingerprintLookup.code
        guard let number = code(node["journalEntryNumber"]), !number.isEmpty,
              case .array(let lineEdges)? = node["journalEntryLines"]?["query"]?["edges"] else { return nil }
        var lines: [X3PostedEntry.Line] = []
        for lineEdge in lineEdges {
            guard let line = lineEdge["node"], let sign = code(line["sign"]).flatMap({ Int($0) }).flatMap(Side.init(rawValue:)),
                  let amount = code(line["transactionAmount"]).flatMap({ ExactDecimal(Substring($0)) }) else { return nil }
            var dimensions: [String: String] = [:]
            if case .array(let analytical)? = line["analyticalLines"]?["query"]?["edges"] {
                for item in analytical {
                    guard case .array(let pairs)? = item["node"]?["dimensions"]?["query"]?["edges"] else { continue }
                    for pair in pairs {
                        if let type = code(pair["node"]?["dimensionType"]), let value = code(pair["node"]?["dimension"]), !value.isEmpty { dimensions[type] = value }
                    }
                }
            }
            lines.append(.init(account: code(line["account"]) ?? "", side: sign, amount: amount, businessPartner: code(line["businessPartner"]) ?? "",
                               dimensions: dimensions, ledgerType: code(line["ledgerTypeNumber"]) ?? ""))
        }
        let first = lines.first?.ledgerType
        return X3PostedEntry(entryType: X3Text.code(code(node["journalEntryType"]) ?? ""), entryNumber: X3Text.code(number),
                             site: code(node["site"]) ?? "", accountingDate: code(node["accountingDate"]) ?? "",
                             currency: code(node["transactionCurrency"]) ?? "", lines: lines.filter { $0.ledgerType == first })
    }
}
