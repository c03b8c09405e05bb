import PropertyBased
import Testing
@testable import LedgerDrop

/// Properties of the conversion core over generated reports: 0-, 2- and 3-decimal currencies,
/// refunds, recoverable tax, several dates, card and reimbursable expenses, foreign expenses
/// with a converted amount or only a rate given as decimal text.
@Suite("Conversion properties")
struct ConversionPropertyTests {
    static let cases = 1000

    struct Expense: Sendable, CustomStringConvertible {
        var hundredths: Int            // Expensify's ×100 amount, signed; never 0
        var foreign: (code: String, rate: String, converted: Bool)?
        var taxPercent: Int            // 0 or 20 (VAT included in the amount)
        var day: Int
        var reimbursable: Bool
        var category: String

        var description: String {
            "\(hundredths)\(foreign.map { " \($0.code)@\($0.rate)\($0.converted ? "+converted" : "")" } ?? "") tax\(taxPercent)% day\(day) \(reimbursable ? "R" : "card") \(category)"
        }

        /// The amount in the report's currency as Expensify would export it, in hundredths.
        var convertedHundredths: Int? {
            guard let foreign, foreign.converted else { return nil }
            return Int(ConversionPropertyTests.roundHalfAway(Int128(hundredths) * Self.rate(foreign.rate).significand, Self.rate(foreign.rate).divisor))
        }

        static func rate(_ text: String) -> (significand: Int128, divisor: Int128) {
            let parts = text.split(separator: ".")
            let decimals = parts.count == 2 ? parts[1].count : 0
            return (Int128(parts.joined())!, Int128(10).power(decimals))
        }

        /// JSON text, written by hand so that a rate stays the decimal text it was generated as.
        func json(_ index: Int, reportCurrency: String) -> String {
            var fields = [#""transactionID": "T\#(index)""#, #""created": "2026-10-\#(day)""#, #""amount": \#(hundredths)"#,
                          #""category": "\#(category)""#, #""reimbursable": \#(reimbursable)"#, #""merchant": "Shop \#(index)""#]
            if let foreign {
                fields.append(#""currency": "\#(foreign.code)""#)
                fields.append(#""currencyConversionRate": \#(foreign.rate)"#)
                if let converted = convertedHundredths { fields.append(#""convertedAmount": \#(converted)"#) }
            }
            if taxPercent > 0 {
                fields.append(#""taxCode": "FR-VAT-20""#)
                fields.append(#""taxAmount": \#(hundredths * taxPercent / (100 + taxPercent))"#)
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
    }

    struct GeneratedReport: Sendable, CustomStringConvertible {
        var currency: String
        var expenses: [Expense]
        var description: String { "\(currency): " + expenses.map(\.description).joined(separator: "; ") }

        var json: String {
            #"{"reportID": "RPROP1", "reportName": "Generated", "currency": "\#(currency)", "accountEmail": "jane.doe@acme.example", "#
                + #""transactions": ["# + expenses.enumerated().map { $0.element.json($0.offset, reportCurrency: currency) }.joined(separator: ", ") + "]}"
        }

        /// Σ of each expense's amount in the posting currency, rounded line by line (minor units,
        /// signed): what the offsets of all entries must carry, computed without the converter.
        var expectedTotal: Int128 {
            let decimals = Currency(code: currency)!.decimals
            return expenses.reduce(Int128(0)) { sum, expense in
                // Exact value in hundredths of the report currency, as numerator / divisor.
                var numerator = Int128(expense.hundredths), divisor = Int128(1)
                if let converted = expense.convertedHundredths {
                    numerator = Int128(converted)
                } else if let foreign = expense.foreign {
                    let rate = Expense.rate(foreign.rate)
                    numerator *= rate.significand
                    divisor = rate.divisor
                }
                return sum + ConversionPropertyTests.roundHalfAway(numerator * Int128(10).power(decimals), divisor * 100)
            }
        }
    }

    static func roundHalfAway(_ numerator: Int128, _ divisor: Int128) -> Int128 {
        let magnitude = (abs(numerator) * 2 + divisor) / (divisor * 2)
        return numerator < 0 ? -magnitude : magnitude
    }

    static let foreignChoices: [(code: String, rate: String, converted: Bool)?] = [
        nil, ("GBP", "1.15", false), ("GBP", "0.8765", true), ("CHF", "1.07315", false), ("BHD", "0.376", true), ("USD", "2", false),
    ]
    static let taxChoices = [0, 0, 20]
    static let categories = ["Meals", "Airfare", "Hotel", "Taxi"]
    static let currencies = ["EUR", "JPY", "KWD", "EUR", "USD"]

    static let expense = zip(
        Gen.int(in: 1...400_000), Gen.bool(0.25), Gen.int(in: 0...(foreignChoices.count - 1)),
        Gen.int(in: 0...(taxChoices.count - 1)), Gen.int(in: 28...30), Gen.bool(0.7), Gen.int(in: 0...(categories.count - 1))
    ).map { magnitude, refund, foreign, tax, day, reimbursable, category in
        Expense(hundredths: refund ? -magnitude : magnitude, foreign: Self.foreignChoices[foreign], taxPercent: Self.taxChoices[tax],
                day: day, reimbursable: reimbursable, category: Self.categories[category])
    }

    static let report = zip(Gen.int(in: 0...(currencies.count - 1)), expense.array(of: 1...8))
        .map { currencyIndex, expenses in
            let currency = Self.currencies[currencyIndex]
            // An expense in the report's own currency is not foreign, whatever its rate says.
            return GeneratedReport(currency: currency, expenses: expenses.map { expense in
                var expense = expense
                if expense.foreign?.code == currency { expense.foreign = nil }
                return expense
            })
        }

    static func convert(_ report: GeneratedReport, api: Configuration.X3.API = .graphql) throws -> FileConversion {
        let configuration = try Fixtures.configuration(api: api)
        return FileConversion.convert(name: "generated.json", bytes: Array(report.json.utf8), converter: Converter(configuration: configuration), renderer: PayloadRenderer(configuration: configuration))
    }

    static func entries(_ report: GeneratedReport) throws -> [JournalEntry]? {
        let conversion = try convert(report)
        switch conversion.outcome {
        case .converted: return conversion.entries
        case .failed(let error):
            // The only refusal a generated report may meet: expenses that cancel out.
            #expect(error.code == .emptyReport && report.expectedTotal == 0, "\(report): \(error.code.rawValue) \(error.message)")
            return nil
        }
    }

    static let offsets: Set<String> = ["421000", "467100"]

    @Test func everyEntryBalances() async {
        await propertyCheck(count: Self.cases, input: Self.report) { report in
            guard let entries = try Self.entries(report) else { return }
            #expect(!entries.isEmpty)
            for entry in entries { #expect(entry.isBalanced, "\(report): \(entry.key)") }
        }
    }

    @Test func theOffsetsCarryTheSumOfTheRoundedExpenseAmounts() async {
        await propertyCheck(count: Self.cases, input: Self.report) { report in
            guard let entries = try Self.entries(report) else { return }
            let expenses = entries.flatMap(\.lines).filter { !Self.offsets.contains($0.account) }.reduce(Int128(0)) { $0 + Int128($1.amount) * Int128($1.side.rawValue) }
            let offsets = entries.flatMap(\.lines).filter { Self.offsets.contains($0.account) }.reduce(Int128(0)) { $0 - Int128($1.amount) * Int128($1.side.rawValue) }
            #expect(expenses == report.expectedTotal, "\(report)")
            #expect(offsets == report.expectedTotal, "\(report)")
        }
    }

    @Test func noLineIsZeroOrNegative() async {
        await propertyCheck(count: Self.cases, input: Self.report) { report in
            guard let entries = try Self.entries(report) else { return }
            for line in entries.flatMap(\.lines) { #expect(line.amount > 0, "\(report): line \(line.number) on \(line.account)") }
        }
    }

    @Test func convertingTwiceGivesTheSameBytes() async {
        await propertyCheck(count: Self.cases, input: Self.report) { report in
            for api in [Configuration.X3.API.graphql, .soap] {
                let first = try Self.convert(report, api: api), second = try Self.convert(report, api: api)
                guard case .converted(let a) = first.outcome, case .converted(let b) = second.outcome else { continue }
                #expect(a.map(\.bytes) == b.map(\.bytes), "\(report)")
                #expect(a.map(\.fileName) == b.map(\.fileName))
            }
        }
    }
}
