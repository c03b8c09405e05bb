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
    public var site = ""
    /// The expenses' date where the layout carries `{sourceDate}` and it differs from the
    /// accounting date: the entry was moved to the next open period (SPEC §13.4).
    public var movedFrom: Day? = nil
    /// The lines as X3 will store them, for the fingerprint lookup (SPEC §13.5); an import
    /// payload lists those of its first ledger type.
    public var lines: [Line] = []
    /// An import payload's records, as AOWSIMPORT's `I_FILE` takes them; empty otherwise.
    public var records: [String] = []

    public struct Line: Sendable, Equatable {
        public var account: String
        public var side: Side
        public var amount: ExactDecimal
        public var businessPartner: String
        public var description: String
        /// Dimension type → dimension, as the payload writes them.
        public var dimensions: [String: String] = [:]
    }

    /// `x3`: the configured GraphQL operation (a GraphQL payload must carry exactly it, so that a
    /// hand-written file never sends another operation to X3) and the import layout (an import
    /// payload is read against it). Without it, any operation is taken and the default layout.
    public static func read(fileName: String, bytes: [UInt8], x3: Configuration.X3? = nil) throws(LedgerDropError) -> PayloadFile {
        guard let format = PayloadFormat(fileName: fileName) else {
            throw LedgerDropError(.unsupportedFile, "\(fileName) is not a payload (*.import.txt, *.xml or *.graphql.json)")
        }
        let key = String(fileName.dropLast(format.fileExtension.count))
        switch format {
        case .graphql: return try readGraphQL(fileName: fileName, key: key, bytes: bytes, mutation: x3?.graphql.mutation, x3: x3)
        case .xml: return try readXML(fileName: fileName, key: key, bytes: bytes, x3: x3 ?? Configuration.X3())
        case .importRecords: return try readImport(fileName: fileName, key: key, bytes: bytes, x3: x3 ?? Configuration.X3())
        }
    }

    private static func readImport(fileName: String, key: String, bytes: [UInt8], x3: Configuration.X3) throws(LedgerDropError) -> PayloadFile {
        let engine = ImportRecords(x3: x3)
        let reading = try engine.read(bytes, fileName: fileName)
        guard reading.accountingDate != nil else { throw invalid(fileName, "the header record has no accounting date") }
        guard !reading.reference.isEmpty else { throw invalid(fileName, "the header record has no reference") }
        return PayloadFile(reading, fileName: fileName, format: .importRecords, bytes: bytes, entryKey: key, records: engine.records(of: bytes))
    }

    /// A query's text with its layout (spaces, newlines) taken out, to compare operations.
    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "," })
    }

    private static func invalid(_ fileName: String, _ why: String) -> LedgerDropError {
        LedgerDropError(.invalidPayload, "\(fileName): \(why)")
    }

    private static func readGraphQL(fileName: String, key: String, bytes: [UInt8], mutation: String?, x3: Configuration.X3?) throws(LedgerDropError) -> PayloadFile {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch { throw invalid(fileName, error.message) }
        let template = x3?.graphql.variables
        guard case .string(let query)? = document["query"], query.contains("mutation"),
              let data = template == nil ? document["variables"]?["data"] : document["variables"] else {
            throw invalid(fileName, "not a GraphQL request with a mutation and its variables")
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
        if let template, let x3 {
            let reading = try GraphQLVariables(template: template, x3: x3).read(data, fileName: fileName)
            return PayloadFile(reading, fileName: fileName, format: .graphql, bytes: bytes, entryKey: key)
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
        let read = lines.map { line in
            func field(_ key: String) -> String { if case .string(let s)? = line[key] { s } else { "" } }
            let sign: String = if case .number(let s)? = line["sign"] { s } else { "" }
            let amount: String = if case .number(let a)? = line["transactionAmount"] { a } else { "" }
            var dimensions: [String: String] = [:]
            if case .array(let pairs)? = line["dimensions"] {
                for pair in pairs {
                    if case .string(let type)? = pair["dimensionType"], case .string(let value)? = pair["dimension"], !value.isEmpty { dimensions[type] = value }
                }
            }
            return Line(account: field("account"), side: sign == "1" ? .debit : .credit, amount: ExactDecimal(Substring(amount)) ?? ExactDecimal(significand: 0, scale: 0),
                        businessPartner: field("businessPartner"), description: field("lineDescription"), dimensions: dimensions)
        }
        return PayloadFile(fileName: fileName, format: .graphql, bytes: bytes, entryKey: key, entryType: text("journalEntryType"),
                           reference: text("reference"), accountingDate: day, currency: text("transactionCurrency"),
                           lineCount: lines.count, total: debit.written(for: text("transactionCurrency")), site: text("site"), lines: read)
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

    private static func readXML(fileName: String, key: String, bytes: [UInt8], x3: Configuration.X3) throws(LedgerDropError) -> PayloadFile {
        let reading = try XMLPayload(x3: x3).read(bytes, fileName: fileName)
        return PayloadFile(reading, fileName: fileName, format: .xml, bytes: bytes, entryKey: key)
    }

}

extension PayloadFile {
    /// A payload as its format's structural check read it.
    init(_ reading: PayloadReading, fileName: String, format: PayloadFormat, bytes: [UInt8], entryKey: String, records: [String] = []) {
        let first = reading.lines.first?.ledgerType
        let lines = reading.lines.filter { $0.ledgerType == first }
        self.init(fileName: fileName, format: format, bytes: bytes, entryKey: entryKey, entryType: reading.entryType,
                  reference: reading.reference, accountingDate: reading.accountingDate ?? Day("2000-01-01")!, currency: reading.currency,
                  lineCount: lines.count, total: reading.debitTotal.written(for: reading.currency), site: reading.site,
                  lines: lines.map { Line(account: $0.account, side: $0.side, amount: $0.amount, businessPartner: $0.businessPartner, description: $0.description, dimensions: $0.dimensions) },
                  records: records)
        if let source = reading.sourceDate, source != reading.accountingDate { movedFrom = source }
    }
}

extension Day {
    /// Reads `yyyyMMdd`.
    static func compact(_ text: String) -> Day? {
        guard text.count == 8 else { return nil }
        return Day("\(text.prefix(4))-\(text.dropFirst(4).prefix(2))-\(text.suffix(2))")
    }
}
