/// An ISO 4217 currency with the number of decimals of its minor unit.
public struct Currency: Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public let decimals: Int

    /// nil for a code that is not an active ISO 4217 currency with a minor unit — including
    /// codes without one such as XXX, XAU or XDR (SPEC §5.5: `UNKNOWN_CURRENCY`).
    public init?(code: String) {
        guard let decimals = Self.minorUnits[code] else { return nil }
        self.code = code
        self.decimals = decimals
    }

    public var description: String { code }

    /// ISO 4217 list one (active codes) with their minor units. Codes whose minor unit is "N.A."
    /// (precious metals, SDR, bond units, XTS, XXX) are absent on purpose.
    static let minorUnits: [String: Int] = {
        var table: [String: Int] = [:]
        let two = """
            AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
            CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
            GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR
            LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD
            PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC
            SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VES VED WST XCD XCG YER ZAR ZMW
            ZWG
            """
        for code in two.split(whereSeparator: { $0 == " " || $0 == "\n" }) { table[String(code)] = 2 }
        for code in ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"] {
            table[code] = 0
        }
        for code in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] { table[code] = 3 }
        for code in ["CLF", "UYW"] { table[code] = 4 }
        return table
    }()
}
