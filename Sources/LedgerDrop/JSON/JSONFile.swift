import Foundation

/// The JSON files people read in the spool (receipts, error files): pretty, keys sorted, slashes
/// left alone, a final newline.
enum JSONFile {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(value)) ?? Data()).map { $0 } + [0x0A]
    }
}
