/// A decimal number read from its text: `significand × 10^-scale`, exact. Rates and amounts are
/// read this way so that `1.15` stays 115/100 (SPEC §3: never through a `Double`).
public struct ExactDecimal: Sendable, Equatable, CustomStringConvertible {
    public var significand: Int128
    public var scale: Int

    /// Parses JSON number syntax, and also a plain signed decimal in a string ("+12", "-3.50").
    /// Accepts up to 30 significant digits and exponents that keep the value representable.
    public init?(_ text: Substring) {
        var utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { return nil }
        var negative = false
        if utf8[0] == UInt8(ascii: "-") || utf8[0] == UInt8(ascii: "+") {
            negative = utf8[0] == UInt8(ascii: "-")
            utf8.removeFirst()
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var exponent = 0
        var i = 0
        var sawDigit = false
        var sawPoint = false
        while i < utf8.count {
            let b = utf8[i]
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                sawDigit = true
                digits.append(b - UInt8(ascii: "0"))
                if sawPoint { fractionDigits += 1 }
            } else if b == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                guard sawDigit, let e = Int(String(decoding: utf8[(i + 1)...], as: UTF8.self)), abs(e) < 100 else { return nil }
                exponent = e
                break
            } else {
                return nil
            }
            i += 1
        }
        guard sawDigit else { return nil }
        // Drop leading zeros; they carry no precision.
        while digits.count > 1, digits[0] == 0 { digits.removeFirst() }
        var scale = fractionDigits - exponent
        // Drop trailing zeros of the fraction to keep the significand small.
        while scale > 0, digits.count > 1, digits.last == 0 { digits.removeLast(); scale -= 1 }
        if digits == [0] { scale = 0 }
        guard digits.count <= 30 else { return nil }
        var value: Int128 = 0
        for d in digits { value = value * 10 + Int128(d) }
        if scale < 0 {
            guard scale > -30 else { return nil }
            for _ in 0 ..< -scale {
                let (next, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow, next < Int128(10).power(36) else { return nil }
                value = next
            }
            scale = 0
        }
        self.significand = negative ? -value : value
        self.scale = scale
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
        var digits = String(significand.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (significand < 0 ? "-" : "") + digits
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
