/// Appends JSON text to a byte buffer, escaping strings per RFC 8259.
struct JSONText {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(2048) }

    /// Text already valid JSON (a number's source text).
    mutating func rawText(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Literal JSON punctuation, copied straight from the binary.
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func string(_ value: String) {
        bytes.append(0x22)
        var value = value
        value.withUTF8 { utf8 in
            // Runs that need no escape go in whole; most strings are one run.
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
                case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
                default: bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(0x22)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A whole number, written without going through `String`.
    mutating func integer(_ value: some BinaryInteger) { DecimalDigits.append(value, to: &bytes) }
}
