/// Decodes the HTML character references Expensify leaves in exported text (`&amp;`, `&#39;`,
/// `&#x4E2D;`, …). Unknown or malformed references are kept as they are.
enum HTMLEntities {
    private static let named: [Substring: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "eacute": "é", "egrave": "è", "ecirc": "ê", "agrave": "à", "acirc": "â", "ccedil": "ç",
        "ouml": "ö", "uuml": "ü", "auml": "ä", "szlig": "ß", "euro": "€", "pound": "£",
        "copy": "©", "reg": "®", "trade": "™", "hellip": "…", "ndash": "–", "mdash": "—",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
    ]

    static func decode(_ text: String) -> String {
        var text = text
        guard text.withUTF8({ $0.contains(UInt8(ascii: "&")) }) else { return text }
        return text.withUTF8 { utf8 in
            var out: [UInt8] = []
            out.reserveCapacity(utf8.count)
            var i = 0
            while i < utf8.count {
                let byte = utf8[i]
                guard byte == UInt8(ascii: "&") else {
                    out.append(byte)
                    i += 1
                    continue
                }
                // `&name;` within 12 bytes after the ampersand, else the ampersand as it is.
                let end = min(utf8.count, i + 13)
                if let semi = (i + 1..<end).first(where: { utf8[$0] == UInt8(ascii: ";") }),
                   let decoded = decodeReference(Substring(decoding: UnsafeBufferPointer(rebasing: utf8[(i + 1)..<semi]), as: UTF8.self)) {
                    out.append(contentsOf: decoded.utf8)
                    i = semi + 1
                } else {
                    out.append(byte)
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static func decodeReference(_ name: Substring) -> String? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value: UInt32?
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
            return String(Character(scalar))
        }
        return named[name]
    }
}
