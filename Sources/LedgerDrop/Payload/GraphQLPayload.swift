/// The GraphQL payload of SPEC §5.1: exactly the HTTP body, data only in `variables`, amounts
/// written exactly from minor units. Written by hand so that key order and number text are
/// fixed (golden files compare bytes).
enum GraphQLPayload {
    static func render(_ entry: JournalEntry, mutation: String, operationName: String) -> [UInt8] {
        var out = JSONText()
        out.raw("{\n  \"operationName\": "); out.string(operationName)
        out.raw(",\n  \"query\": "); out.string(mutation)
        out.raw(",\n  \"variables\": {\n    \"data\": {\n")
        let header: [(String, String)] = [
            ("journalEntryType", entry.entryType), ("site", entry.site), ("journal", entry.journal),
            ("accountingDate", entry.accountingDate.description), ("transactionCurrency", entry.currency.code),
            ("description", entry.description), ("reference", entry.reference),
        ]
        for (name, value) in header {
            out.raw("      "); out.string(name); out.raw(": "); out.string(value); out.raw(",\n")
        }
        out.raw("      \"lines\": [\n")
        for (i, line) in entry.lines.enumerated() {
            out.raw("        {\"lineNumber\": \(line.number), \"account\": "); out.string(line.account)
            out.raw(", \"sign\": \(line.side.rawValue), \"transactionAmount\": ")
            out.raw(Money(minorUnits: line.amount, currency: entry.currency).decimalText)
            out.raw(", \"lineDescription\": "); out.string(line.description)
            out.raw(", \"businessPartner\": "); out.string(line.businessPartner)
            out.raw(", \"tax\": "); out.string(line.tax)
            out.raw(", \"dimensions\": [")
            for (j, dimension) in line.dimensions.enumerated() {
                out.raw(j == 0 ? "{\"dimensionType\": " : ", {\"dimensionType\": "); out.string(dimension.type)
                out.raw(", \"dimension\": "); out.string(dimension.value); out.raw("}")
            }
            out.raw(i == entry.lines.count - 1 ? "]}\n" : "]},\n")
        }
        out.raw("      ]\n    }\n  }\n}\n")
        return out.bytes
    }
}

/// Appends JSON text to a byte buffer, escaping strings per RFC 8259.
struct JSONText {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(2048) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func string(_ value: String) {
        bytes.append(0x22)
        for byte in value.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }
}
