import Testing
@testable import LedgerDrop

@Suite("Payload writers and the object layout")
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

    @Test func xmlFollowsTheLayoutAndEscapesEveryValue() throws {
        let configuration = try Fixtures.configuration(api: .soap)
        let bytes = try PayloadRenderer(configuration: configuration).render(try entry(description: "A & <B> \"C\"")).bytes
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#"<FLD NAME="DESVCR">A &amp; &lt;B&gt; &quot;C&quot;</FLD>"#))
        #expect(text.contains(#"<FLD NAME="JOU"></FLD>"#) && text.contains(#"<FLD NAME="CAT">1</FLD>"#) && text.contains(#"<FLD NAME="STA">2</FLD>"#))
        for group in ["HAE0_1", "HAE0_2", "HAE1_1", "HAE1_3", "HAE1_5"] { #expect(text.contains("<GRP ID=\"\(group)\">")) }
        #expect(text.contains(#"<TAB ID="HAE2_1" SIZE="2">"#))
        // The amount in DEB or CDT, the other empty; no sign column.
        #expect(text.contains(#"<FLD NAME="DEB">10.00</FLD>"#) && text.contains(#"<FLD NAME="CDT">10.00</FLD>"#) && !text.contains("SNS"))
        #expect(text.contains(#"<FLD NAME="CCE1">"#) && text.contains(#"<FLD NAME="CCE2"></FLD>"#))
    }

    /// A structural-check case, named by what is wrong (never by the document).
    struct BrokenObject: Sendable, CustomTestStringConvertible {
        let name: String, replace: String, with: String, mention: String
        var testDescription: String { name }
    }

    static let brokenObjects: [BrokenObject] = [
        .init(name: "a group missing", replace: #"<GRP ID="HAE1_1">"#, with: #"<GRP ID="HAE1_9">"#, mention: "HAE1_9"),
        .init(name: "an unknown field", replace: #"<FLD NAME="DESVCR">"#, with: #"<FLD NAME="DESVCX">"#, mention: "DESVCX"),
        .init(name: "a literal changed", replace: #"<FLD NAME="CAT">1</FLD>"#, with: #"<FLD NAME="CAT">2</FLD>"#, mention: "CAT"),
        .init(name: "a dimension column missing", replace: #"<FLD NAME="CCE2"></FLD>"#, with: "", mention: "CCE2"),
        .init(name: "SIZE not the line count", replace: #"SIZE="2""#, with: #"SIZE="3""#, mention: "SIZE"),
        .init(name: "both debit and credit", replace: #"<FLD NAME="CDT"></FLD>"#, with: #"<FLD NAME="CDT">1.00</FLD>"#, mention: "exactly one of debit and credit"),
        .init(name: "an amount changed", replace: #"<FLD NAME="DEB">10.00</FLD>"#, with: #"<FLD NAME="DEB">11.00</FLD>"#, mention: "differ"),
        .init(name: "a date that is not one", replace: "<FLD NAME=\"ACCDAT\">2026", with: "<FLD NAME=\"ACCDAT\">x026", mention: "yyyyMMdd"),
        .init(name: "not well-formed", replace: "</PARAM>", with: "", mention: "well-formed"),
        .init(name: "an external entity", replace: "<PARAM>", with: "<!DOCTYPE PARAM [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><PARAM>&e;", mention: "DOCTYPE"),
    ]

    @Test(arguments: brokenObjects)
    func theLayoutRefusesOtherDocuments(_ broken: BrokenObject) throws {
        let configuration = try Fixtures.configuration(api: .soap)
        let good = String(decoding: try PayloadRenderer(configuration: configuration).render(try entry()).bytes, as: UTF8.self)
        #expect(good.contains(broken.replace))
        let bad = good.replacingOccurrences(of: broken.replace, with: broken.with)
        #expect {
            try PayloadFile.read(fileName: "R1.xml", bytes: Array(bad.utf8), x3: configuration.x3)
        } throws: { error in
            guard let error = error as? LedgerDropError, error.code == .invalidPayload || error.code == .entryUnbalanced else { return false }
            return broken.mention.isEmpty || error.message.contains(broken.mention)
        }
    }

    @Test func anotherLayoutRendersAndReadsBack() throws {
        var configuration = try Fixtures.configuration(api: .soap)
        func field(_ name: String, _ text: String) throws -> SOAPLayout.Field { SOAPLayout.Field(name, try PlaceholderTemplate(text)) }
        configuration.x3.soap.layout = SOAPLayout(
            groups: [SOAPLayout.Group(id: "ZG", fields: [try field("DAT", "{accountingDate}"), try field("DEV", "{currency}"), try field("SRC", "{reference}"), try field("LIB", "N° {reference}")])],
            table: "ZL", lines: [try field("CPT", "{line.account}"), try field("SNS", "{line.sign}"), try field("MNT", "{line.amount}")], dimensions: [.init(column: "AX1", type: "CCT")])
        let payload = try PayloadRenderer(configuration: configuration).render(try entry())
        let text = String(decoding: payload.bytes, as: UTF8.self)
        #expect(text.contains(#"<FLD NAME="SNS">-1</FLD>"#) && text.contains(#"<TAB ID="ZL" SIZE="2">"#) && text.contains("N° R"))
        let read = try PayloadFile.read(fileName: payload.fileName, bytes: payload.bytes, x3: configuration.x3)
        #expect(read.lineCount == 2 && read.total == "10.00" && read.lines.map(\.side) == [.debit, .credit])
        #expect(configuration.x3.soap.queryKey == "SRC")
    }

    @Test func aDimensionWithoutAColumnIsRefused() throws {
        var configuration = try Fixtures.configuration(api: .soap)
        configuration.x3.soap.layout.dimensions = [.init(column: "CCE1", type: "PRJ")]
        var withCostCenter = try entry()
        withCostCenter.lines[0].dimensions = [Dimension(type: "CCT", value: "SALES")]
        #expect { try PayloadRenderer(configuration: configuration).render(withCostCenter) } throws: {
            ($0 as? LedgerDropError)?.code == .invalidPayload && ($0 as? LedgerDropError)?.message.contains("no column for CCT") == true
        }
    }

    static let customerVariables = """
        x3:
          site: FR011
          entryType: ODT
          graphql:
            mutation: "mutation YPost($input: YJournalEntry_Input!) { y { createJournalEntry(input: $input) { journalEntryNumber } } }"
            variables:
              input:
                site: "{site}"
                accountingDate: "{accountingDate}"
                sourceCurrency: "{currency}"
                reference: "RPT {reference}"
                ref: "{reference}"
                final: true
                lines:
                  - { n: "{line.number}", account: "{line.account}", debit: "{line.debit}", credit: "{line.credit}", dimensions: { CCT: "{line.dimension.CCT}" } }
        """

    @Test func theCustomerVariablesRenderAndReadBack() throws {
        var configuration = try Fixtures.configuration()
        configuration.x3 = try ConfigurationLoader(file: "ledgerdrop.yml").parse(Self.customerVariables).x3
        let payload = try PayloadRenderer(configuration: configuration).render(try entry())
        let text = String(decoding: payload.bytes, as: UTF8.self)
        #expect(text.contains(#""operationName": "YPost""#))
        #expect(text.contains(#"{"n": 1, "account": "625700", "debit": 10.00, "credit": null, "dimensions": {"CCT": "SALES"}}"#), "\(text)")
        #expect(text.contains(#""final": true"#) && text.contains(#""reference": "RPT R"#))
        let read = try PayloadFile.read(fileName: payload.fileName, bytes: payload.bytes, x3: configuration.x3)
        #expect(read.lineCount == 2 && read.total == "10.00" && read.reference.hasPrefix("R") && !read.reference.hasPrefix("RPT"))
        #expect(read.lines.map(\.side) == [.debit, .credit] && read.currency == "EUR" && read.site == "FR011")
        for (from, to) in [(#""final": true"#, #""final": false"#), (#""ref":"#, #""refx":"#), (#""debit": 10.00"#, #""debit": "10.00""#), (#""credit": null"#, #""credit": 1.00"#)] {
            let broken = Array(text.replacingOccurrences(of: from, with: to).utf8)
            #expect(throws: LedgerDropError.self, "\(to)") { try PayloadFile.read(fileName: payload.fileName, bytes: broken, x3: configuration.x3) }
        }
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
