import Testing
@testable import LedgerDrop

@Suite("Money, decimals and currencies")
struct MoneyTests {
    @Test(arguments: [
        // (hundredths, rate text, currency, expected minor units)
        (31200, "1", "EUR", 31200),
        (1010, "1.15", "EUR", 1162),        // 1161.5 hundredths: half away from zero, not to even, not via Double
        (-1010, "1.15", "EUR", -1162),
        (1005, "1", "JPY", 10),             // JPY 10.05 → 10
        (50050, "1", "JPY", 501),           // JPY 500.5 → 501
        (-150, "1", "JPY", -2),             // −1.5 → −2
        (49, "1", "JPY", 0),
        (12345, "1", "KWD", 123450),        // KWD has three decimals
        (3333, "1.0725", "EUR", 3575),      // 3574.6425 → 35.75
        (100, "0.333333333333333333333333", "EUR", 33),
        (250, "1", "CLF", 25000),
    ])
    func roundsHalfAwayFromZero(hundredths: Int64, rate: String, code: String, expected: Int64) throws {
        let currency = try #require(Currency(code: code))
        let factor = Fraction(try #require(ExactDecimal(Substring(rate))))
        #expect(Money.fromHundredths(hundredths, times: factor, in: currency).minorUnits == expected)
    }

    @Test(arguments: [
        (31200, "EUR", "312.00"), (5, "EUR", "0.05"), (-5, "EUR", "-0.05"), (1500, "JPY", "1500"),
        (1250, "KWD", "1.250"), (0, "EUR", "0.00"), (7, "KWD", "0.007"), (123456789012345, "EUR", "1234567890123.45"),
    ])
    func writesExactDecimalText(minorUnits: Int64, code: String, text: String) throws {
        #expect(Money(minorUnits: minorUnits, currency: try #require(Currency(code: code))).decimalText == text)
    }

    @Test(arguments: [("EUR", 2), ("USD", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3), ("TND", 3), ("CLF", 4), ("ISK", 0), ("CHF", 2)])
    func knowsISO4217Decimals(code: String, decimals: Int) {
        #expect(Currency(code: code)?.decimals == decimals)
    }

    @Test(arguments: ["XXX", "XAU", "XAG", "XDR", "XTS", "EURO", "eur", "", "ABC", "HRK"])
    func refusesCodesWithoutMinorUnit(code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test(arguments: [
        ("1.15", 115, 2), ("1", 1, 0), ("0.9207", 9207, 4), ("1e2", 100, 0), ("1.50", 15, 1), ("-3.5", -35, 1),
        ("+12", 12, 0), ("12.5E-1", 125, 2), ("0.000", 0, 0),
    ])
    func readsDecimalsFromText(text: String, significand: Int, scale: Int) throws {
        let value = try #require(ExactDecimal(Substring(text)))
        #expect(value.significand == Int128(significand))
        #expect(value.scale == scale)
    }

    @Test(arguments: ["", "abc", "1.2.3", "--1", "1e", "1e500", "12345678901234567890123456789012345"])
    func refusesNonDecimals(text: String) {
        #expect(ExactDecimal(Substring(text)) == nil)
    }
}
