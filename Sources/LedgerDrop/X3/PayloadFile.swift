/// A payload file from `outbox/`, read back: what the poster needs to post it, look it up and
/// write its receipt (SPEC §6.4–§6.5). Hand-made payloads are checked here (`INVALID_PAYLOAD`).
public struct PayloadFile: Sendable {
    public var fileName: String
    public var format: PayloadFormat
    public var bytes: [UInt8]
    public var entryKey: String
    public var entryType: String
    public var reference: String
    public var accountingDate: Day
    public var currency: String
    public var lineCount: Int
    /// The debit total, as written in the payload (`312.00`).
    public var total: String

    /// `mutation`: the configured operation (`x3.graphql.mutation`); a GraphQL payload must
    /// carry exactly it, so that a hand-written file never sends another operation to X3.
    public static func read(fileName: String, bytes: [UInt8], mutation: String? = nil) throws(LedgerDropError) -> PayloadFile {
        guard let format = PayloadFormat(fileName: fileName) else {
            throw LedgerDropError(.unsupportedFile, "\(fileName) is not a payload (*.graphql.json or *.xml)")
        }
        let key = String(fileName.dropLast(format.fileExtension.count))
        switch format {
        case .graphql: return try readGraphQL(fileName: fileName, key: key, bytes: bytes, mutation: mutation)
        case .xml: return try readXML(fileName: fileName, key: key, bytes: bytes)
        }
    }

    /// A query's text with its layout (spaces, newlines) taken out, to compare operations.
    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "," })
    }

    private static func invalid(_ fileName: String, _ why: String) -> LedgerDropError {
        LedgerDropError(.invalidPayload, "\(fileName): \(why)")
    }

    private static func readGraphQL(fileName: String, key: String, bytes: [UInt8], mutation: String?) throws(LedgerDropError) -> PayloadFile {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch { throw invalid(fileName, error.message) }
        guard case .string(let query)? = document["query"], query.contains("mutation"),
              let data = document["variables"]?["data"] else {
            throw invalid(fileName, "not a GraphQL request with a mutation and variables.data")
        }
        if let mutation {
            // Layout aside, the operation must be the configured one, named as it names itself.
            let expectedName = Configuration.GraphQL(mutation: mutation).mutationOperationName
            guard words(query) == words(mutation) else {
                throw invalid(fileName, "its query is not the configured mutation (x3.graphql.mutation); only that operation is ever sent — reconvert the report")
            }
            if case .string(let name)? = document["operationName"], name != expectedName {
                throw invalid(fileName, "its operationName \"\(name)\" is not the configured mutation's \"\(expectedName)\"")
            }
        }
        func text(_ key: String) -> String { if case .string(let s)? = data[key] { s } else { "" } }
        guard let day = Day(text("accountingDate")) else { throw invalid(fileName, "variables.data.accountingDate is not yyyy-MM-dd") }
        guard case .array(let lines)? = data["lines"], lines.count >= 2 else { throw invalid(fileName, "an entry needs at least two lines") }
        let debit = try balancedDebits(fileName, lines.map { line in
            let sign: String? = if case .number(let s)? = line["sign"] { s } else { nil }
            let amount: String? = if case .number(let a)? = line["transactionAmount"] { a } else { nil }
            return (sign, amount)
        }, fields: "transactionAmount or sign")
        guard !text("reference").isEmpty else { throw invalid(fileName, "variables.data.reference is empty") }
        return PayloadFile(fileName: fileName, format: .graphql, bytes: bytes, entryKey: key, entryType: text("journalEntryType"),
                           reference: text("reference"), accountingDate: day, currency: text("transactionCurrency"),
                           lineCount: lines.count, total: debit.written(for: text("transactionCurrency")))
    }

    /// The debit total of lines given as (sign, amount) text, checked to equal the credits.
    private static func balancedDebits(_ fileName: String, _ lines: [(sign: String?, amount: String?)], fields: String) throws(LedgerDropError) -> ExactDecimal {
        var debit = ExactDecimal(significand: 0, scale: 0)
        var credit = debit
        for line in lines {
            guard let sign = line.sign, sign == "1" || sign == "-1", let amount = ExactDecimal(Substring(line.amount ?? "")) else {
                throw invalid(fileName, "a line has no \(fields) ±1")
            }
            if sign == "1" { debit = debit.adding(amount) } else { credit = credit.adding(amount) }
        }
        guard debit.isEqual(to: credit) else {
            throw LedgerDropError(.entryUnbalanced, "\(fileName): debits \(debit) and credits \(credit) differ")
        }
        return debit
    }

    private static func readXML(fileName: String, key: String, bytes: [UInt8]) throws(LedgerDropError) -> PayloadFile {
        let errors = JournalEntrySchema.shared.validate(bytes)
        guard errors.isEmpty else { throw invalid(fileName, "does not match the journal-entry schema: \(errors.joined(separator: "; "))") }
        let document = XMLDocumentReader.fields(bytes)
        guard let day = Day.compact(document.header["ACCDAT"] ?? "") else { throw invalid(fileName, "ACCDAT is not yyyyMMdd") }
        let debit = try balancedDebits(fileName, document.lines.map { ($0["SNS"], $0["AMTCUR"]) }, fields: "AMTCUR or SNS")
        guard let reference = document.header["REF"], !reference.isEmpty else { throw invalid(fileName, "REF is empty") }
        return PayloadFile(fileName: fileName, format: .xml, bytes: bytes, entryKey: key, entryType: document.header["TYP"] ?? "",
                           reference: reference, accountingDate: day, currency: document.header["CUR"] ?? "",
                           lineCount: document.lines.count, total: debit.written(for: document.header["CUR"] ?? ""))
    }
}

extension Day {
    /// Reads `yyyyMMdd`.
    static func compact(_ text: String) -> Day? {
        guard text.count == 8 else { return nil }
        return Day("\(text.prefix(4))-\(text.dropFirst(4).prefix(2))-\(text.suffix(2))")
    }
}
