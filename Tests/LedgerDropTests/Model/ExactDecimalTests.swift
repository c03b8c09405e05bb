import Testing
@testable import LedgerDrop

/// The decimal reader, rewritten to read bytes in one pass, against the straightforward
/// digit-array reading it replaced (kept here as the oracle) on generated number texts.
@Suite("Exact decimals")
struct ExactDecimalTests {
    /// The former reader: every digit into an array, leading then trailing zeros dropped.
    static func oracle(_ text: String) -> ExactDecimal? {
        var utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { return nil }
        var negative = false
        if utf8[0] == UInt8(ascii: "-") || utf8[0] == UInt8(ascii: "+") {
            negative = utf8[0] == UInt8(ascii: "-")
            utf8.removeFirst()
        }
        var digits: [UInt8] = []
        var fractionDigits = 0, exponent = 0, i = 0
        var sawDigit = false, sawPoint = false
        while i < utf8.count {
            let b = utf8[i]
            if b >= 0x30 && b <= 0x39 {
                sawDigit = true
                digits.append(b - 0x30)
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
        while digits.count > 1, digits[0] == 0 { digits.removeFirst() }
        var scale = fractionDigits - exponent
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
        return ExactDecimal(significand: negative ? -value : value, scale: scale)
    }

    /// xorshift64*: the same texts on every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> UInt64 {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
    }

    static func text(_ g: inout Generator) -> String {
        func digits(_ g: inout Generator, _ count: Int) -> String {
            String((0..<count).map { _ in Bool.random(using: &g) && Bool.random(using: &g) ? "0" : Character(String(Int.random(in: 0...9, using: &g))) })
        }
        var text = ["", "-", "+"].randomElement(using: &g)!
        text += String(repeating: "0", count: Int.random(in: 0...2, using: &g)) + digits(&g, Int.random(in: 0...20, using: &g))
        if Bool.random(using: &g) { text += "." + digits(&g, Int.random(in: 0...20, using: &g)) + String(repeating: "0", count: Int.random(in: 0...12, using: &g)) }
        if Int.random(in: 0..<4, using: &g) == 0 { text += ["e", "E"].randomElement(using: &g)! + ["", "-", "+"].randomElement(using: &g)! + String(Int.random(in: 0...40, using: &g)) }
        if Int.random(in: 0..<40, using: &g) == 0 { text += ["x", ".", "e", " "].randomElement(using: &g)! }
        return text
    }

    @Test func readsEveryGeneratedTextAsTheFormerReaderDid() {
        var g = Generator()
        var read = 0
        for _ in 0..<50_000 {
            let text = Self.text(&g)
            let expected = Self.oracle(text)
            #expect(ExactDecimal(Substring(text)) == expected, "\(text)")
            if expected != nil { read += 1 }
        }
        #expect(read > 20_000, "most texts are numbers")
    }

    @Test(arguments: [("312.00", "312"), ("0.0500", "0.05"), ("-1.250", "-1.25"), ("100e-2", "1"), ("1.5e1", "15"), ("0", "0"), ("-0.000", "0")])
    func writesItsTextBack(text: String, expected: String) throws {
        #expect(try #require(ExactDecimal(Substring(text))).description == expected)
    }

    @Test(arguments: [(0, 4, "0000"), (2026, 4, "2026"), (7, 2, "07"), (-5, 3, "-005"), (123_456, 2, "123456")])
    func padsDigits(value: Int, width: Int, expected: String) {
        #expect(DecimalDigits.padded(value, width: width) == expected)
    }
}
