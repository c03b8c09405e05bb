import Testing
@testable import LedgerDrop

@Suite("Payload writers and the XML Schema")
struct PayloadTests {
    func entry(description: String = "Trip", merchant: String = "Shop") throws -> JournalEntry {
        let report = try makeReport([["merchant": merchant]])
        var entry = try #require(Converter(configuration: try Fixtures.configuration()).convert(report).entries.first)
        entry.description = description
        return entry
    }

    @Test func graphQLCarriesDataOnlyInVariables() throws {
        let configuration = try Fixtures.configuration()
        let bytes = try PayloadRenderer(configuration: configuration).render(try entry(merchant: "x\") { evil }")).bytes
        let document = try JSONParser.parse(bytes)
        #expect(document["query"] == .string(configuration.x3.graphql.mutation))
        #expect(document["operationName"] == .string("PostJournalEntry"))
        guard case .array(let lines)? = document["variables"]?["data"]?["lines"] else { Issue.record("no lines"); return }
        #expect(lines.first?["lineDescription"] == .string("x\") { evil }"))
        #expect(lines.first?["transactionAmount"] == .number("10.00"))
    }

    @Test func xmlEscapesEveryValueAndValidates() throws {
        let configuration = try Fixtures.configuration(api: .soap)
        let bytes = try PayloadRenderer(configuration: configuration).render(try entry(description: "A & <B> \"C\"")).bytes
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#"<FLD NAME="DESVCR">A &amp; &lt;B&gt; &quot;C&quot;</FLD>"#))
        #expect(text.contains(#"<FLD NAME="JOU"></FLD>"#))
        #expect(JournalEntrySchema.shared.validate(bytes).isEmpty)
    }

    @Test(arguments: [
        ("<PARAM><GRP ID=\"G\"></GRP></PARAM>", "GRP"),
        ("<PARAM/>", "PARAM"),
        ("not xml", "well-formed"),
        ("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><PARAM>&e;</PARAM>", ""),
    ])
    func schemaRefusesOtherDocuments(document: String, mention: String) {
        let errors = JournalEntrySchema.shared.validate(Array(document.utf8))
        #expect(!errors.isEmpty)
        if !mention.isEmpty { #expect(errors.joined().contains(mention)) }
    }

    @Test func tooLongTextFailsValidationAsInvalidPayload() throws {
        let configuration = try Fixtures.configuration(api: .soap)
        var long = try entry()
        long.description = String(repeating: "x", count: 31)
        #expect { try PayloadRenderer(configuration: configuration).render(long) } throws: { ($0 as? LedgerDropError)?.code == .invalidPayload }
    }
}

@Suite("Payload files from outbox/")
struct PayloadFileTests {
    @Test func aGraphQLPayloadMustCarryTheConfiguredMutation() throws {
        let configuration = try Fixtures.configuration()
        let bytes = try Fixtures.bytes("expected/01-paris-client-visit/R00I7J3xs5fn.graphql.json")
        _ = try PayloadFile.read(fileName: "R00I7J3xs5fn.graphql.json", bytes: bytes, x3: configuration.x3)
        let other = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "create(data: $data)", with: "delete(data: $data)")
        #expect { try PayloadFile.read(fileName: "R00I7J3xs5fn.graphql.json", bytes: Array(other.utf8), x3: configuration.x3) } throws: {
            ($0 as? LedgerDropError)?.code == .invalidPayload
        }
        let renamed = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"operationName\": \"PostJournalEntry\"", with: "\"operationName\": \"Other\"")
        #expect { try PayloadFile.read(fileName: "R00I7J3xs5fn.graphql.json", bytes: Array(renamed.utf8), x3: configuration.x3) } throws: {
            ($0 as? LedgerDropError)?.code == .invalidPayload
        }
    }
}
