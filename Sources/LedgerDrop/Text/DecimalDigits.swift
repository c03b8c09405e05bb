/// Whole numbers as decimal text, zero-padded to a width: the one way dates, timestamps, amounts
/// and entry numbers write their digits (no `String(format:)`, no `String` per digit group).
public enum DecimalDigits {
    /// `value` in at least `width` digits: `padded(7, width: 2)` is `07`.
    public static func padded(_ value: some BinaryInteger, width: Int = 1) -> String {
        var bytes: [UInt8] = []
        append(value, width: width, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` in at least `width` digits (a minus sign first when negative).
    public static func append(_ value: some BinaryInteger, width: Int = 1, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(truncatingIfNeeded: magnitude % 10) + 0x30)
            magnitude /= 10
        } while magnitude > 0
        while bytes.count - start < width { bytes.append(0x30) }
        bytes[start...].reverse()
    }
}
