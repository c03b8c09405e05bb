/// The lookup of a stock X3 server (SPEC §13.5): the read-only `x3Finance.journalEntry` query,
/// filtered on site, entry type and accounting date, with each entry's `journalEntryLines`. An
/// entry is the payload's when its lines equal the payload's lines (account, sign, amount,
/// business partner) and the report ID stands whole in one of its line descriptions — the
/// offset lines carry it (`posting.offsetDescription`), so two reports with equal lines on the
/// same day are never taken for each other. It wraps the route's transport, which posts.
public struct FingerprintLookup: X3Transport {
    let base: any X3Transport
    let graphql: GraphQLTransport
    let query: String

    public init(base: any X3Transport, graphql: GraphQLTransport, query: String) {
        self.base = base
        self.graphql = graphql
        self.query = query
    }

    public func post(_ payload: PayloadFile) async -> PostOutcome { await base.post(payload) }
    /// The GraphQL reader that finds entries reads the master data for `check` too.
    public var checksMasterData: Bool { true }
    public func masterData(_ question: MasterDataQuestion) async throws(LedgerDropError) -> [JSONValue] {
        try await graphql.masterData(question)
    }
    public func checkPublication() async throws(LedgerDropError) -> [(ok: Bool, text: String)] { try await base.checkPublication() }

    public func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
        var body = JSONText()
        body.raw("{\"operationName\":"); body.string(Configuration.GraphQL.operationName(of: query, kind: "query") ?? "FindEntries")
        body.raw(",\"query\":"); body.string(query)
        body.raw(",\"variables\":{\"filter\":"); body.string(Self.filter(payload))
        body.raw("}}")
        switch await graphql.send(body.bytes) {
        case .failure(let box): throw LookupFailure(outcome: box.outcome)
        case .success(let reply): return try Self.matches(reply, payload: payload, redact: graphql.redact)
        }
    }

    /// `{site: {code: 'FR011'}, journalEntryType: {code: 'ODT'}, accountingDate: '2026-10-30'}`.
    static func filter(_ payload: PayloadFile) -> String {
        func quoted(_ text: String) -> String { "'" + GraphQLTransport.quotedInFilter(text) + "'" }
        return "{site: {code: \(quoted(payload.site))}, journalEntryType: {code: \(quoted(payload.entryType))}, accountingDate: \(quoted(payload.accountingDate.description))}"
    }

    /// The entries of the answer that are the payload's. An answer that is not a readable list
    /// of entries cannot say "not there": it is retried, never read as an empty list.
    package static func matches(_ reply: HTTPExchange.Reply, payload: PayloadFile, redact: Redactor) throws(LookupFailure) -> [X3Entry] {
        let edges = try GraphQLTransport.journalEntryEdges(reply, redact: redact)
        let wanted = LineCounts(payload.lines.map { LineKey(account: $0.account, sign: $0.side.rawValue, amount: $0.amount, businessPartner: $0.businessPartner) })
        return edges.compactMap { edge -> X3Entry? in
            guard let node = edge["node"], let number = code(node["journalEntryNumber"]), !number.isEmpty else { return nil }
            // What the filter asked for, checked again: a server may ignore part of a filter.
            for (field, expected) in [("site", payload.site), ("journalEntryType", payload.entryType), ("accountingDate", payload.accountingDate.description),
                                      ("transactionCurrency", payload.currency)] {
                if let value = code(node[field]), !value.isEmpty, !expected.isEmpty, value != expected { return nil }
            }
            guard case .array(let lineEdges)? = node["journalEntryLines"]?["query"]?["edges"] else { return nil }
            var keys: [LineKey] = []
            var descriptions: [String] = []
            for lineEdge in lineEdges {
                guard let line = lineEdge["node"], let sign = code(line["sign"]).flatMap({ Int($0) }),
                      let amount = code(line["transactionAmount"]).flatMap({ ExactDecimal(Substring($0)) }) else { return nil }
                keys.append(LineKey(account: code(line["account"]) ?? "", sign: sign, amount: amount, businessPartner: code(line["businessPartner"]) ?? ""))
                descriptions.append(code(line["lineDescription"]) ?? "")
            }
            guard LineCounts(keys).isMultiple(of: wanted), descriptions.contains(where: { Self.holds($0, word: payload.reference) }) else { return nil }
            return X3Entry(entryType: X3Text.code(code(node["journalEntryType"]) ?? payload.entryType), entryNumber: X3Text.code(number),
                           accountingDate: payload.accountingDate.description, reference: payload.reference)
        }
    }

    /// Whether `word` stands whole in `text` (`R1` is not in `R10 Jane Doe`).
    static func holds(_ text: String, word: String) -> Bool {
        guard !word.isEmpty else { return false }
        var rest = Substring(text)
        while let range = rest.range(of: word) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            if !(before?.isLetter == true || before?.isNumber == true), !(after?.isLetter == true || after?.isNumber == true) { return true }
            rest = text[range.upperBound...]
        }
        return false
    }

    /// A reference (`{code: "FR011"}`), a string or a number, as text.
    static func code(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .number(let text)?: text
        case .object?: code(value?["code"])
        default: nil
        }
    }

    struct LineKey: Hashable {
        var account: String
        var sign: Int
        var amount: ExactDecimal
        var businessPartner: String

        static func == (a: LineKey, b: LineKey) -> Bool {
            a.account == b.account && a.sign == b.sign && a.amount.isEqual(to: b.amount) && a.businessPartner == b.businessPartner
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(account)
            hasher.combine(sign)
            // Equal values hash alike whatever their scale: trailing zeros of the fraction go.
            var value = amount
            while value.scale > 0, value.significand % 10 == 0 { value = ExactDecimal(significand: value.significand / 10, scale: value.scale - 1) }
            hasher.combine(value.significand)
            hasher.combine(value.scale)
            hasher.combine(businessPartner)
        }
    }

    /// Lines as a multiset. X3 may store each line once per ledger type: an entry's lines match
    /// when they are the payload's lines the same number of times over.
    struct LineCounts {
        var counts: [LineKey: Int] = [:]

        init(_ keys: [LineKey]) {
            for key in keys { counts[key, default: 0] += 1 }
        }

        func isMultiple(of other: LineCounts) -> Bool {
            guard !counts.isEmpty, Set(counts.keys) == Set(other.counts.keys), let (key, count) = other.counts.first,
                  let mine = counts[key], mine % count == 0 else { return false }
            let times = mine / count
            return other.counts.allSatisfy { counts[$0.key] == $0.value * times }
        }
    }
}
