import Foundation
import Testing
@testable import LedgerDrop

@Suite("Import-template records (x3.import)")
struct ImportRecordsTests {
    func entries(_ report: String, _ configuration: Configuration) throws -> [JournalEntry] {
        let conversion = FileConversion.convert(name: report + ".json", bytes: try Fixtures.bytes("reports/\(report).json"),
                                                converter: Converter(configuration: configuration), renderer: PayloadRenderer(configuration: configuration))
        #expect(conversion.entries.allSatisfy { $0.isBalanced })
        return conversion.entries
    }

    func configuration(_ importYAML: String = "", x3: String = "") throws -> Configuration {
        var text = try String(contentsOfFile: Fixtures.folder + "/ledgerdrop.yml", encoding: .utf8)
        let extra = x3 + (importYAML.isEmpty ? "" : "  import:\n" + importYAML)
        text = text.replacingOccurrences(of: "  journal: \"\"\n", with: "  journal: \"\"\n" + extra)
        return try ConfigurationLoader(file: "ledgerdrop.yml").parse(text)
    }

    /// The hand-written files of fixtures/import (see its README), record for record.
    @Test(arguments: ["01-paris-client-visit", "08-tax-split", "14-kwd-three-decimals"])
    func matchesTheHandWrittenFile(report: String) throws {
        let configuration = try configuration()
        let entry = try #require(try entries(report, configuration).first)
        let expected = try Fixtures.bytes("import/\(report).import.txt")
        let records = try ImportRecords(x3: configuration.x3).records(entry)
        #expect(records == String(decoding: expected, as: UTF8.self).components(separatedBy: "\r\n").dropLast())
        #expect(try ImportRecords(x3: configuration.x3).render(entry) == expected)
    }

    @Test func aLayoutOfAnotherTemplate() throws {
        let configuration = try configuration("""
                template: ZXARGGAS
                records:
                  header: "G;{entryType};{site};{accountingDate};{currency};{status};{documentType};{reference}"
                  line: "D;{line.number};{line.ledgerType};{line.account};{line.debit};{line.credit};{line.dimension.CCT}"
                dimensions: [CCT]
                decimalSeparator: ","
                dateFormat: DD/MM/YY
                lineEnding: lf
                ledgerTypes: ["1", "4"]

            """, x3: "  entryStatus: temporary\n  documentType: NDF\n")
        let entry = try #require(try entries("01-paris-client-visit", configuration).first)
        let text = String(decoding: try ImportRecords(x3: configuration.x3).render(entry), as: UTF8.self)
        #expect(text == """
            G;ODT;FR011;30/10/26;EUR;1;NDF;R00I7J3xs5fn
            D;1;1;625100;312,00;;CONSULT
            A;1;CCT;CONSULT;312,00;;1
            D;1;4;625100;312,00;;CONSULT
            A;1;CCT;CONSULT;312,00;;1
            D;2;1;421000;;312,00;
            D;2;4;421000;;312,00;

            """)
        #expect(configuration.x3.importLayout.template == "ZXARGGAS")
    }

    /// The converter already turns line breaks in texts into spaces; the check holds whatever
    /// reaches the records.
    @Test(arguments: ["Café; Bar", "Pipe | Shop", "Two\r\nLines"])
    func aValueThatWouldBreakTheFileIsRefused(description: String) throws {
        let configuration = try configuration()
        var entry = try #require(try entries("01-paris-client-visit", configuration).first)
        entry.lines[0].description = description
        #expect {
            try ImportRecords(x3: configuration.x3).render(entry)
        } throws: { error in
            guard let error = error as? LedgerDropError else { return false }
            return error.code == .invalidPayload && error.message.contains("line 1's {line.description}")
        }
    }

    @Test func latin1ReplacesWhatItCannotHold() throws {
        let configuration = try configuration("    encoding: iso-8859-1\n")
        var entry = try #require(try entries("01-paris-client-visit", configuration).first)
        entry.description = "Cafe\u{301} 10 € 🚕"
        let bytes = try ImportRecords(x3: configuration.x3).render(entry)
        // é (written as e + a combining accent) is one Latin-1 byte; € and the taxi are "?".
        #expect(bytes.firstRange(of: Array(";Caf".utf8) + [0xE9] + Array(" 10 ? ?;".utf8)) != nil)
        #expect(bytes.allSatisfy { $0 != 0xC3 }, "no UTF-8 left")
    }

    static let reports = ((try? Fixtures.reportNames()) ?? []).map { String($0.dropLast(5)) }
    static let layouts = [
        "",
        """
            records:
              line: "D;{line.number};{line.ledgerType};{line.account};{line.debit};{line.credit};{line.dimension.CCT}"
            decimalSeparator: ","
            dateFormat: DD/MM/YY
            ledgerTypes: ["1", "4"]

        """,
    ]

    /// Every fixture entry, written and read back against its layout: the same accounts, signs,
    /// amounts, date, reference and currency (the check the poster makes before posting).
    @Test(arguments: reports, [0, 1])
    func everyFixtureEntryReadsBackAsItWasConverted(report: String, layout: Int) throws {
        let configuration = try configuration(Self.layouts[layout])
        let records = ImportRecords(x3: configuration.x3)
        for entry in try entries(report, configuration) {
            let reading = try records.read(try records.render(entry), fileName: "x.import.txt")
            #expect(reading.entryType == entry.entryType && reading.reference == entry.reportID)
            #expect(reading.accountingDate == entry.accountingDate && reading.currency == entry.currency.code)
            let firstLedger = reading.lines.filter { $0.ledgerType == "1" }
            #expect(firstLedger.map(\.account) == entry.lines.map(\.account))
            #expect(firstLedger.map(\.side) == entry.lines.map(\.side))
            let amounts = entry.lines.map { ExactDecimal(significand: Int128($0.amount), scale: entry.currency.decimals) }
            #expect(firstLedger.count == amounts.count && zip(firstLedger, amounts).allSatisfy { $0.amount.isEqual(to: $1) })
            #expect(reading.lines.count == entry.lines.count * configuration.x3.importLayout.ledgerTypes.count)
            #expect(reading.debitTotal.isEqual(to: ExactDecimal(significand: Int128(entry.debitTotal), scale: entry.currency.decimals)))
        }
    }

    @Test(arguments: [
        ("D;2;1;2;FR011;EMP;;;421000;EMP0042;-1;EUR;312.00;", "D;2;1;2;FR011;EMP;;;421000;EMP0042;-1;EUR;311.00;", "debits 312.00 and credits 311.00 differ (ledger type 1)"),
        ("A;1;CCT", "X;1;CCT", "record 3 (\"X…\", 9 fields) is none of the layout's records"),
        (";PRJ-0042;312.00;;1", ";PRJ-0042;312.00;1", "is none of the layout's records"),
        ("30102026", "31022026", "the accounting date \"31022026\" is not DDMMYYYY"),
        ("-1;EUR", "-2;EUR", "the sign \"-2\" is not 1 or -1"),
    ] as [(String, String, String)])
    func anEditedFileIsRefusedBeforePosting(original: String, edited: String, message: String) throws {
        let configuration = try configuration()
        var text = String(decoding: try Fixtures.bytes("import/01-paris-client-visit.import.txt"), as: UTF8.self)
        #expect(text.contains(original))
        text = text.replacingOccurrences(of: original, with: edited)
        #expect {
            try ImportRecords(x3: configuration.x3).read(Array(text.utf8), fileName: "R1.import.txt")
        } throws: { error in
            (error as? LedgerDropError)?.message.contains(message) == true
        }
    }

    @Test func recordsWithoutTheirOwnCodeAreAConfigurationError() {
        #expect {
            try configuration("    records:\n      line: \"{line.number};{line.account}\"\n")
        } throws: { error in
            (error as? LedgerDropError)?.message.contains("each record must start with its own record code") == true
        }
    }

    @Test func runInputJoinsTheRecordsAndEndsThem() {
        #expect(ImportRecords.runInput(records: ["G;ODT", "D;1", "A;1"]) == "G;ODT|D;1|A;1|END")
    }

    @Test(arguments: [
        ("line: \"D;{line.acount}\"", 16, "unknown placeholder {line.acount}"),
        ("header: \"G;{line.account}\"", 7, "cannot use line placeholders"),
        ("analytics: A;{line.number};{nope}", 34, "unknown placeholder {nope}"),
        ("line: \"D;{line.number\"", 16, "without its"),
    ] as [(String, Int, String)])
    func aBadRecordFailsAtLoadTimeWhereItIs(record: String, column: Int, message: String) throws {
        do {
            _ = try configuration("    records:\n      \(record)\n")
            Issue.record("the configuration loaded")
        } catch let error as LedgerDropError {
            let line = try String(contentsOfFile: Fixtures.folder + "/ledgerdrop.yml", encoding: .utf8).components(separatedBy: "\n")
                .firstIndex(of: "  journal: \"\"")! + 1 + 3
            #expect(error.message.contains("ledgerdrop.yml:\(line):"), "\(error.message)")
            #expect(error.message.contains(message), "\(error.message)")
            if !message.contains("line placeholders") { #expect(error.message.contains("ledgerdrop.yml:\(line):\(column):"), "\(error.message)") }
        }
    }

    @Test(arguments: [
        ("fieldSeparator: \"|\"", "fieldSeparator"),
        ("decimalSeparator: \";\"", "decimalSeparator"),
        ("dateFormat: YYYY", "dateFormat"),
        ("ledgerTypes: []", "ledgerTypes"),
        ("encoding: latin9", "encoding"),
    ])
    func badSettingsAreConfigurationErrors(setting: String, key: String) {
        #expect {
            try configuration("    \(setting)\n")
        } throws: { error in
            (error as? LedgerDropError)?.code == .configInvalid && (error as? LedgerDropError)?.message.contains("x3.import.\(key)") == true
        }
    }
}

@Suite("The placeholder vocabulary")
struct PlaceholderTemplateTests {
    @Test func literalsPlaceholdersAndBraces() throws {
        let template = try PlaceholderTemplate("{{G}};{site};{line.dimension.CCT}}}")
        #expect(template.parts == [.literal("{G};"), .placeholder(.site), .literal(";"), .placeholder(.lineDimension("CCT")), .literal("}")])
        #expect(template.placeholders.map(\.isLineLevel) == [false, true])
    }

    @Test(arguments: [("a}b", 1), ("ab{site", 2), ("{x}", 0), ("{line.dimension.}", 0)] as [(String, Int)])
    func refusedWithTheirPlace(text: String, offset: Int) {
        #expect(throws: PlaceholderTemplate.Failure.self) { try PlaceholderTemplate(text) }
        do { _ = try PlaceholderTemplate(text) } catch { #expect(error.offset == offset) }
    }

    @Test func everyNameOfSpec13_2IsKnown() {
        for name in ["site", "entryType", "journal", "accountingDate", "currency", "description", "reference", "sourceDocument",
                     "sourceDate", "documentType", "status", "line.number", "line.site", "line.account", "line.controlAccount",
                     "line.businessPartner", "line.sign", "line.amount", "line.debit", "line.credit", "line.description", "line.tax",
                     "line.ledgerType", "line.quantity", "line.dimension.PRJ"] {
            #expect(Placeholder(name: name) != nil, "\(name)")
        }
    }
}
