/// The GraphQL payload of SPEC §5.1: exactly the HTTP body, data only in `variables`, amounts
/// written exactly from minor units. Written by hand so that key order and number text are
/// fixed (golden files compare bytes).
enum GraphQLPayload {
    static func render(_ entry: JournalEntry, mutation: String, operationName: String) -> [UInt8] {
        var out = JSONText()
        out.raw("{\n  \"operationName\": "); out.string(operationName)
        out.raw(",\n  \"query\": "); out.string(mutation)
        out.raw(",\n  \"variables\": {\n    \"data\": {\n")

        let header: [(String, String)] = [
            ("journalEntryType", entry.entryType), ("site", entry.site), ("journal", entry.journal),
            ("accountingDate", entry.accountingDate.description), ("transactionCurrency", entry.currency.code),
            ("description", entry.description), ("reference", entry.reference),
        ]
        for (name, value) in header {
            out.raw("      "); out.string(name); out.raw(": "); out.string(value); out.raw(",\n")
        }
        out.raw("      \"lines\": [\n")
        for (i, line) in entry.lines.enumerated() {
            out.raw("        {\"lineNumber\": "); out.integer(line.number)
            out.raw(", \"account\": "); out.string(line.account)
            out.raw(", \"sign\": "); out.integer(line.side.rawValue)
            out.raw(", \"transactionAmount\": ")
            ExactDecimal(significand: Int128(line.amount), scale: entry.currency.decimals).append(to: &out.bytes)
            out.raw(", \"lineDescription\": "); out.string(line.description)
            out.raw(", \"businessPartner\": "); out.string(line.businessPartner)
            out.raw(", \"tax\": "); out.string(line.tax)
            out.raw(", \"dimensions\": [")
            for (j, dimension) in line.dimensions.enumerated() {
                out.raw(j == 0 ? "{\"dimensionType\": " : ", {\"dimensionType\": "); out.string(dimension.type)
                out.raw(", \"dimension\": "); out.string(dimension.value); out.raw("}")
            }
            out.raw(i == entry.lines.count - 1 ? "]}\n" : "]},\n")
        }
        out.raw("      ]\n    }\n  }\n}\n")
        return out.bytes
    }

    /// The customer operation's request: its variables from `x3.graphql.variables`.
    static func render(_ entry: JournalEntry, mutation: String, operationName: String, variables: GraphQLVariables) -> [UInt8] {
        var out = JSONText()
        out.raw("{\n  \"operationName\": "); out.string(operationName)
        out.raw(",\n  \"query\": "); out.string(mutation)
        out.raw(",\n  \"variables\": ")
        variables.write(entry, into: &out, indent: 2)
        out.raw("\n}\n")
        return out.bytes
    }
}
