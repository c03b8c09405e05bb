/// A decimal number read from its text: `significand × 10^-scale`, exact. Rates and amounts are
/// read this way so that `1.15` stays 115/100 (SPEC §3: never through a `Double`).
public struct ExactDecimal: Sendable, Equatable, CustomStringConvertible {
    public var significand: Int128
    public var scale: Int

    /// Parses JSON number syntax, and also a plain signed decimal in a string ("+12", "-3.50").
    /// Accepts up to 30 significant digits and exponents that keep the value representable.
    public init?(_ text: Substring) {
        var text = text
        guard let value = text.withUTF8({ Self.read($0) }) else { return nil }
        self = value
    }

    public init?(_ text: String) { self.init(Substring(text)) }

    private static func read(_ utf8: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        var i = 0
        guard !utf8.isEmpty else { return nil }
        var negative = false
        if utf8[0] == UInt8(ascii: "-") || utf8[0] == UInt8(ascii: "+") {
            negative = utf8[0] == UInt8(ascii: "-")
            i = 1
        }
        // Leading zeros carry no precision; zeros after a significant digit wait in `pending`
        // until a later digit shows they are not trailing.
        var value: Int128 = 0
        var significant = 0
        var pending = 0
        var fractionDigits = 0
        var exponent = 0
        var sawDigit = false
        var sawPoint = false
        while i < utf8.count {
            let b = utf8[i]
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                sawDigit = true
                if sawPoint { fractionDigits += 1 }
                if b == UInt8(ascii: "0") {
                    if significant > 0 { pending += 1 }
                } else {
                    significant += pending + 1
                    guard significant <= 30 else { return nil }
                    value = value * Int128(10).power(pending + 1) + Int128(b - UInt8(ascii: "0"))
                    pending = 0
                }
            } else if b == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                guard sawDigit, let e = Int(String(decoding: UnsafeBufferPointer(rebasing: utf8[(i + 1)...]), as: UTF8.self)), abs(e) < 100 else { return nil }
                exponent = e
                break
            } else {
                return nil
            }
            i += 1
        }
        guard sawDigit else { return nil }
        var scale = fractionDigits - exponent
        if value == 0 {
            scale = 0
        } else {
            // Trailing zeros go while there is a fraction, to keep the significand small.
            let dropped = max(0, min(pending, scale))
            scale -= dropped
            pending -= dropped
            significant += pending
            guard significant <= 30 else { return nil }
            value *= Int128(10).power(pending)
        }
        if scale < 0 {
            guard scale > -30 else { return nil }
            for _ in 0 ..< -scale {
                let (next, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow, next < Int128(10).power(36) else { return nil }
                value = next
            }
            scale = 0
        }
        return ExactDecimal(significand: negative ? -value : value, scale: scale)
    }

    public init(significand: Int128, scale: Int) {
        self.significand = significand
        self.scale = scale
    }

    /// The integer value when the number is integral, else nil.
    public var integerValue: Int128? {
        var s = significand
        for _ in 0..<scale {
            guard s % 10 == 0 else { return nil }
            s /= 10
        }
        return s
    }

    public var description: String {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The number's text appended to `bytes`: digits, then the point `scale` digits from the end.
    func append(to bytes: inout [UInt8]) {
        if significand < 0 { bytes.append(UInt8(ascii: "-")) }
        DecimalDigits.append(significand.magnitude, width: scale + 1, to: &bytes)
        if scale > 0 { bytes.insert(UInt8(ascii: "."), at: bytes.count - scale) }
    }
}

extension Int128 {
    func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= self }
        return result
    }

    /// `numerator / denominator` rounded half away from zero (SPEC §5.5). `denominator` > 0.
    static func roundedQuotient(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder.magnitude * 2 >= denominator.magnitude {
            return quotient + (numerator < 0 ? -1 : 1)
        }
        return quotient
    }
}

extension ExactDecimal {
    /// The exact sum, at the larger scale of the two.
    public func adding(_ other: ExactDecimal) -> ExactDecimal {
        let scale = Swift.max(self.scale, other.scale)
        let a = significand * Int128(10).power(scale - self.scale)
        let b = other.significand * Int128(10).power(scale - other.scale)
        return ExactDecimal(significand: a + b, scale: scale)
    }

    /// The value with the currency's decimals (`312.00`, `1500`), as the payload wrote it.
    func written(for currencyCode: String) -> String {
        guard let decimals = Currency(code: currencyCode)?.decimals, scale <= decimals else { return description }
        return ExactDecimal(significand: significand * Int128(10).power(decimals - scale), scale: decimals).description
    }

    /// Equal in value whatever the scales (`1.50` equals `1.5`).
    public func isEqual(to other: ExactDecimal) -> Bool {
        let difference = adding(ExactDecimal(significand: -other.significand, scale: other.scale))
        return difference.significand == 0
    }
}
