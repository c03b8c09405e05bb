import Foundation
import Testing
@testable import LedgerDrop

@Suite("SOAP envelopes")
struct SOAPEnvelopeTests {
    /// AOWSIMPORT's `run` (SPEC §13.2): the template and the records in GRP1's JSON, the reply
    /// asked for as JSON, the import pool unless none is set.
    @Test(arguments: ["", "IMPORT-EXPORT"])
    func runCarriesTheRecordsToAOWSIMPORT(importPool: String) throws {
        var configuration = try Fixtures.configuration(api: .soap)
        configuration.x3.importLayout.poolAlias = importPool
        let records = ["G;ODT;;FR011;;30102026;STDCO;EUR;Say \"<hi>\" & go;R1;R1", "D;1;1;1;FR011;;;;625100;;1;EUR;1.00;A;;", "D;2;1;2;FR011;;;;421000;EMP0042;-1;EUR;1.00;B;;"]
        let envelope = SOAPEnvelope.run(records: records, x3: configuration.x3)
        let root = try #require(XMLTree.parse(envelope))
        let run = try #require(root.child("Body")?.child("run"))
        let context = try #require(run.child("callContext"))
        #expect(context.child("poolAlias")?.text == (importPool.isEmpty ? configuration.x3.soap.poolAlias : importPool))
        #expect(context.child("requestConfig")?.text == "adxwss.optreturn=JSON")
        #expect(context.child("codeLang")?.text == configuration.x3.soap.language)
        #expect(run.child("publicName")?.text == "AOWSIMPORT")
        // The JSON survives the XML escaping whole, quotes and brackets included.
        let input = try JSONParser.parse(Array(try #require(run.child("inputXml")?.text).utf8))
        #expect(input["GRP1"]?["I_MODIMP"] == .string("YLDGAS"))
        #expect(input["GRP1"]?["I_AOWSTA"] == .string("NO") && input["GRP1"]?["I_EXEC"] == .string("REALTIME"))
        #expect(input["GRP1"]?["I_RECORDSEP"] == .string("|"))
        #expect(input["GRP1"]?["I_FILE"] == .string(records.joined(separator: "|") + "|END"))
    }
}
