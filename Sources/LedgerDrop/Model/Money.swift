/// An exact amount: integer minor units of a currency (JPY 1500 is 1500, EUR 312.00 is 31200).
public struct Money: Sendable, Hashable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Converts Expensify hundredths (every amount ×100 whatever the currency) times an exact
    /// factor into this currency's minor units, rounding half away from zero (SPEC §5.5).
    public static func fromHundredths(_ hundredths: Int64, times factor: Fraction = .one, in currency: Currency) -> Money {
        let numerator = Int128(hundredths) * factor.numerator * Int128(10).power(currency.decimals)
        let denominator = 100 * factor.denominator
        return Money(minorUnits: Int64(Int128.roundedQuotient(numerator, denominator)), currency: currency)
    }

    /// The amount written exactly with the currency's decimals: `312.00`, `1500`, `1.250`.
    public var decimalText: String {
        ExactDecimal(significand: Int128(minorUnits), scale: currency.decimals).description
    }

    public var description: String { "\(decimalText) \(currency.code)" }
}

/// An exact non-negative ratio used for currency conversion (a rate, or converted/original).
public struct Fraction: Sendable, Equatable {
    public var numerator: Int128
    public var denominator: Int128

    public static let one = Fraction(numerator: 1, denominator: 1)

    public init(numerator: Int128, denominator: Int128) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public init(_ decimal: ExactDecimal) {
        self.numerator = decimal.significand
        self.denominator = Int128(10).power(decimal.scale)
    }
}
