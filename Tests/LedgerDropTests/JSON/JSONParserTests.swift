import Testing
@testable import LedgerDrop

@Suite("JSON parser")
struct JSONParserTests {
    @Test func keepsNumbersAsText() throws {
        let value = try JSONParser.parse(Array(#"{"id": 4056343049275634494, "rate": 1.15, "e": -2.5e-3}"#.utf8))
        #expect(value["id"] == .number("4056343049275634494"))
        #expect(value["rate"] == .number("1.15"))
        #expect(value["e"] == .number("-2.5e-3"))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(Array(#"["a\"b\\c\/\n\t", "\u00e9\ud83d\ude00"]"#.utf8))
        #expect(value == .array([.string("a\"b\\c/\n\t"), .string("é😀")]))
    }

    @Test func toleratesUTF8ByteOrderMark() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.number("1")]))
    }

    @Test(arguments: [
        ("", "empty"),
        ("   ", "empty"),
        ("{\"a\": 1", "truncated"),
        ("[1, 2", "truncated"),
        ("{\"a\": \"abc", "truncated"),
        ("<html><body>502 Bad Gateway</body></html>", "HTML"),
        ("{\"a\": 01}", "leading zero"),
        ("{\"a\": 1,}", "field name"),
        ("[1] [2]", "after the JSON document"),
        ("{'a': 1}", "field name"),
        ("{\"a\": tru}", "expected true"),
        ("\"\\x\"", "invalid escape"),
        ("\"\\u0000\"", "NUL"),
        ("\"\\ud800\"", "surrogate"),
    ])
    func refusesMalformedDocuments(text: String, expected: String) {
        #expect {
            try JSONParser.parse(Array(text.utf8))
        } throws: { error in
            (error as? JSONParser.Failure)?.message.contains(expected) == true
        }
    }

    @Test func namesLineAndColumn() {
        #expect {
            try JSONParser.parse(Array("{\n  \"a\": [1,\n   }".utf8))
        } throws: { error in
            (error as? JSONParser.Failure)?.message.hasSuffix("at line 3, column 4") == true
        }
    }

    @Test func refusesNULBytesAndUTF16() {
        #expect { try JSONParser.parse(Array("{\"a\": \"x\0y\"}".utf8)) } throws: { ($0 as? JSONParser.Failure)?.message.contains("NUL byte at offset 8") == true }
        func littleEndian(_ text: String) -> [UInt8] { text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] } }
        let utf16: [UInt8] = [0xFF, 0xFE] + littleEndian("[1]")
        #expect { try JSONParser.parse(utf16) } throws: { ($0 as? JSONParser.Failure)?.message.contains("UTF-16") == true }
        let utf16NoBOM = littleEndian("{\"reportID\": 1}")
        #expect { try JSONParser.parse(utf16NoBOM) } throws: { ($0 as? JSONParser.Failure)?.message.contains("UTF-16") == true }
    }

    @Test func refusesInvalidUTF8() {
        #expect { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) } throws: { ($0 as? JSONParser.Failure)?.message.contains("UTF-8") == true }
    }

    @Test func limitsNesting() throws {
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        _ = try JSONParser.parse(Array(ok.utf8))
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect { try JSONParser.parse(Array(deep.utf8)) } throws: { ($0 as? JSONParser.Failure)?.message.contains("deeper than 64") == true }
    }
}
