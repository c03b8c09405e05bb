/// The open accounting periods, read from X3 for `posting.closedPeriod: next-open` (SPEC §13.4).
extension GraphQLTransport {
    /// The stock read of `x3FinanceData.period` (company, ledger type, fiscal year, code, status,
    /// start and end date, as Sage's reference lists them).
    public static let periodsQuery = """
        query OpenPeriods { x3FinanceData { period { query(first: 500) { edges { node { code status startDate endDate } } } } } }
        """

    /// `status` is read as X3 writes it: the enumeration's name (`open`) or the local menu's
    /// number (2, "Open"); anything else is not open.
    public func openPeriods() async throws(LedgerDropError) -> OpenPeriods {
        var body = JSONText()
        body.raw("{\"query\":"); body.string(Self.periodsQuery); body.raw("}")
        guard let document = try await checkAnswer(body.bytes, to: "the period query"),
              case .array(let edges)? = document["data"]?["x3FinanceData"]?["period"]?["query"]?["edges"] else {
            throw LedgerDropError(.x3Rejected, "X3's answer to the period query holds no periods (data.x3FinanceData.period.query.edges)")
        }
        var open: [OpenPeriods.Range] = []
        var closed: [OpenPeriods.Range] = []
        for edge in edges {
            guard case .string(let start)? = edge["node"]?["startDate"], case .string(let end)? = edge["node"]?["endDate"],
                  let from = Day(start), let to = Day(end) else { continue }
            let status: String
            switch edge["node"]?["status"] {
            case .string(let text)?: status = text
            case .number(let number)?: status = number
            default: status = ""
            }
            let range = OpenPeriods.Range(from: from, to: to)
            if ["open", "2"].contains(status.lowercased()) { open.append(range) } else { closed.append(range) }
        }
        return OpenPeriods(open: open, closed: closed)
    }
}
