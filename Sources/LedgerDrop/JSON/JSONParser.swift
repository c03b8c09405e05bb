#if canImport(Glibc)
import Glibc
#endif

/// A strict JSON reader (RFC 8259) that keeps numbers as text, refuses what an export must not
/// contain (NUL bytes, UTF-16, nesting past `maxDepth`) and says where it stopped.
///
/// Foundation's `JSONSerialization` turns `1.15` into a `Double` and cannot report how deep a
/// document nests or where a NUL byte sits, so the report reader has its own.
public struct JSONParser {
    public static let maxDepth = 64

    public struct Failure: Error, Equatable {
        public var message: String
    }

    /// The document, read in place: every access is checked against `count` by the parser itself.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index: Int
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>, start: Int) {
        self.bytes = bytes
        self.index = start
    }

    /// Parses a whole document. A UTF-8 byte-order mark is tolerated.
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        try checkEncoding(bytes)
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        return try bytes.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue in
            var parser = JSONParser(bytes: buffer, start: start)
            parser.skipWhitespace()
            if parser.index == buffer.count { throw Failure(message: "the file is empty") }
            if buffer[parser.index] == UInt8(ascii: "<") {
                throw Failure(message: "the file is HTML or XML, not JSON (an error page saved instead of the export?)")
            }
            let value = try parser.parseValue()
            parser.skipWhitespace()
            if parser.index != buffer.count {
                throw parser.failure("unexpected text after the JSON document")
            }
            return value
        }
    }

    private static func checkEncoding(_ bytes: [UInt8]) throws(Failure) {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw Failure(message: "the file is UTF-16 (byte-order mark \(bytes[0] == 0xFF ? "FF FE" : "FE FF")); save it as UTF-8")
        }
        let nulAt = bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress, let found = memchr(base, 0, buffer.count) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        if let nul = nulAt {
            // ASCII text in UTF-16 has a NUL in every other byte.
            let sample = bytes.prefix(64)
            let nuls = sample.filter { $0 == 0 }.count
            if sample.count >= 4, nuls * 3 >= sample.count {
                throw Failure(message: "the file looks like UTF-16 (every other byte is NUL); save it as UTF-8")
            }
            throw Failure(message: "the file contains a NUL byte at offset \(nul)")
        }
    }

    // MARK: - Values

    private mutating func parseValue() throws(Failure) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw failure("the file ends in the middle of the JSON document (truncated?)") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected character \(describe(bytes[index]))")
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maxDepth { throw failure("the document nests deeper than \(Self.maxDepth) levels") }
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        try enter()
        index += 1
        var fields: [JSONObject.Entry] = []
        fields.reserveCapacity(16)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; depth -= 1; return .object([:]) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure(index < bytes.count ? "expected a field name in double quotes" : "the file ends inside an object (truncated?)") }
            let keyStart = index + 1
            let key = try parseString()
            // A key without escapes hashes from its bytes; one with escapes from the decoded text.
            let hash = index - 1 - keyStart == key.utf8.count
                ? JSONObject.hash(UnsafeBufferPointer(rebasing: bytes[keyStart..<(index - 1)])) : JSONObject.hash(key)
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw failure("expected ':' after field name \"\(key)\"") }
            index += 1
            fields.append(JSONObject.Entry(hash: hash, key: key, value: try parseValue()))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(JSONObject(entries: fields))
            case nil: throw failure("the file ends inside an object (truncated?)")
            default: throw failure("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        try enter()
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; depth -= 1; return .array(items) }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; depth -= 1; return .array(items)
            case nil: throw failure("the file ends inside an array (truncated?)")
            default: throw failure("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        let start = index
        index += 1
        // Fast path: a string without escapes becomes a String straight from its bytes.
        let contentStart = index
        var ascii = true
        // The scan keeps its position in a local: the loop then touches no memory but the bytes.
        let bytes = bytes
        var i = index
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                let content = UnsafeBufferPointer(rebasing: bytes[contentStart..<i])
                // ASCII needs no validation; anything else is checked as UTF-8.
                guard let string = ascii ? String(decoding: content, as: UTF8.self) : String(validating: content, as: UTF8.self) else {
                    index = start
                    throw failure("a string is not valid UTF-8 (is the file in another encoding?)")
                }
                index = i + 1
                return string
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte >= 0x80 { ascii = false }
            i += 1
        }
        index = i
        var buffer: [UInt8] = Array(bytes[contentStart..<index])
        var runStart = index
        while true {
            guard index < bytes.count else {
                index = start
                throw failure("the file ends inside a string (truncated?)")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                buffer.append(contentsOf: bytes[runStart..<index])
                index += 1
                break
            }
            if byte < 0x20 { throw failure("control character \(describe(byte)) inside a string (must be escaped)") }
            if byte == UInt8(ascii: "\\") {
                buffer.append(contentsOf: bytes[runStart..<index])
                try parseEscape(into: &buffer)
                runStart = index
                continue
            }
            index += 1
        }
        guard let string = String(validating: buffer, as: UTF8.self) else {
            index = start
            throw failure("a string is not valid UTF-8 (is the file in another encoding?)")
        }
        return string
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(Failure) {
        index += 1
        guard index < bytes.count else { throw failure("the file ends inside a string (truncated?)") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): buffer.append(0x22)
        case UInt8(ascii: "\\"): buffer.append(0x5C)
        case UInt8(ascii: "/"): buffer.append(0x2F)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("unpaired UTF-16 surrogate in a \\u escape")
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired UTF-16 surrogate in a \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw failure("unpaired UTF-16 surrogate in a \\u escape")
            }
            if scalar == 0 { throw failure("a string contains an escaped NUL character (\\u0000)") }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
            buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            index -= 1
            throw failure("invalid escape \\\(describe(byte)) in a string")
        }
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("the file ends inside a \\u escape (truncated?)") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("invalid hexadecimal digit in a \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(Failure) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw failure("a number has no digits") }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), isDigit(next) { throw failure("a number has a leading zero") }
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let next = peek(), isDigit(next) else { throw failure("a number has no digits after '.'") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let next = peek(), isDigit(next) else { throw failure("a number has no digits in its exponent") }
            skipDigits()
        }
        if index - start > 400 { throw failure("a number is longer than 400 characters") }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    // MARK: - Lexing helpers

    private mutating func expectWord(_ word: String) throws(Failure) {
        let expected = word.utf8
        let count = expected.count
        guard index + count <= bytes.count, bytes[index..<index + count].elementsEqual(expected) else {
            throw failure(index + count > bytes.count ? "the file ends in the middle of a value (truncated?)" : "unexpected word (expected \(word))")
        }
        index += count
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { index += 1 }
    }

    private mutating func skipWhitespace() {
        var i = index
        while i < bytes.count, Self.isWhitespace(bytes[i]) { i += 1 }
        index = i
    }

    /// JSON's whitespace: space, tab, line feed, carriage return.
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16, uppercase: true)
    }

    /// A failure message that names the line and column (1-based, columns in bytes).
    private func failure(_ message: String) -> Failure {
        let position = min(index, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<position where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return Failure(message: "\(message) at line \(line), column \(position - lineStart + 1)")
    }
}
