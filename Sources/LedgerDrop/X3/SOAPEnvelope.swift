/// The X3 web-service messages of SPEC §6.2 and §13.2: `save`, `query`, `run` and `getDescription` envelopes
/// written with libxml2's writer, and their replies read by local names.
public enum SOAPEnvelope {
    static let soapNamespace = "http://schemas.xmlsoap.org/soap/envelope/"
    static let wssNamespace = "http://www.adonix.com/WSS"

    /// `wss:save` with the call context, the publication and the payload document as a string.
    static func save(objectXml: [UInt8], soap: Configuration.SOAP) -> [UInt8] {
        envelope(operation: "save", soap: soap) { w in
            w.start("objectXml"); w.attribute("xsi:type", "xsd:string")
            w.text(String(decoding: objectXml, as: UTF8.self))
            w.end()
        }
    }

    /// `wss:query` for entries whose report-ID field (`x3.soap.lookupKey`, default the layout's
    /// `{sourceDocument}` field BPRVCR) is `reference`.
    static func query(reference: String, soap: Configuration.SOAP) -> [UInt8] {
        envelope(operation: "query", soap: soap) { w in
            w.start("objectKeys"); w.attribute("xsi:type", "wss:ArrayOfCAdxParamKeyValue")
            w.start("objectKey"); w.attribute("xsi:type", "wss:CAdxParamKeyValue")
            w.start("key"); w.text(soap.queryKey); w.end()
            w.start("value"); w.text(reference); w.end()
            w.end()
            w.end()
            w.start("listSize"); w.attribute("xsi:type", "xsd:int"); w.text("5"); w.end()
        }
    }

    /// `wss:run` on AOWSIMPORT (SPEC §13.2): the import template and the entry's records in the
    /// JSON `inputXml` of its GRP1, the reply asked for as JSON.
    static func run(records: [String], x3: Configuration.X3) -> [UInt8] {
        let layout = x3.importLayout
        var input = JSONText()
        input.raw("{\"GRP1\":{\"I_MODIMP\":"); input.string(layout.template)
        input.raw(",\"I_AOWSTA\":\"NO\",\"I_EXEC\":\"REALTIME\",\"I_RECORDSEP\":"); input.string(ImportRecords.runSeparator)
        input.raw(",\"I_FILE\":"); input.string(ImportRecords.runInput(records: records))
        input.raw("}}")
        return envelope(operation: "run", language: x3.soap.language, poolAlias: x3.importPoolAlias, publicName: layout.publicName, requestConfig: "adxwss.optreturn=JSON") { w in
            w.start("inputXml"); w.attribute("xsi:type", "xsd:string")
            w.text(String(decoding: input.bytes, as: UTF8.self))
            w.end()
        }
    }

    /// `wss:getDescription` of the import publication: what `check` asks (SPEC §13.3).
    static func getDescription(importOf x3: Configuration.X3) -> [UInt8] {
        envelope(operation: "getDescription", language: x3.soap.language, poolAlias: x3.importPoolAlias, publicName: x3.importLayout.publicName,
                 requestConfig: "adxwss.optreturn=XML") { _ in }
    }

    /// `wss:getDescription` of the object publication.
    static func getDescription(publicName: String, soap: Configuration.SOAP) -> [UInt8] {
        envelope(operation: "getDescription", language: soap.language, poolAlias: soap.poolAlias, publicName: publicName,
                 requestConfig: "adxwss.optreturn=XML") { _ in }
    }

    private static func envelope(operation: String, soap: Configuration.SOAP, body: (inout XMLWriter) -> Void) -> [UInt8] {
        envelope(operation: operation, language: soap.language, poolAlias: soap.poolAlias, publicName: soap.publicName,
                 requestConfig: "adxwss.optreturn=XML", body: body)
    }

    private static func envelope(operation: String, language: String, poolAlias: String, publicName: String, requestConfig: String,
                                 body: (inout XMLWriter) -> Void) -> [UInt8] {
        XMLWriter.document { w in
            w.start("soapenv:Envelope")
            w.attribute("xmlns:soapenv", soapNamespace)
            w.attribute("xmlns:wss", wssNamespace)
            w.attribute("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
            w.attribute("xmlns:xsd", "http://www.w3.org/2001/XMLSchema")
            w.start("soapenv:Body")
            w.start("wss:\(operation)"); w.attribute("soapenv:encodingStyle", "http://schemas.xmlsoap.org/soap/encoding/")
            w.start("callContext"); w.attribute("xsi:type", "wss:CAdxCallContext")
            w.start("codeLang"); w.attribute("xsi:type", "xsd:string"); w.text(language); w.end()
            w.start("poolAlias"); w.attribute("xsi:type", "xsd:string"); w.text(poolAlias); w.end()
            w.start("poolId"); w.attribute("xsi:type", "xsd:string"); w.end()
            w.start("requestConfig"); w.attribute("xsi:type", "xsd:string"); w.text(requestConfig); w.end()
            w.end()
            w.start("publicName"); w.attribute("xsi:type", "xsd:string"); w.text(publicName); w.end()
            body(&w)
            w.end(); w.end(); w.end()
        }
    }

    /// What a `CAdxResultXml` holds.
    public struct Result: Sendable {
        public var status: String
        /// (type, message): type 1 information, 2 warning, 3 error — a string in the WSDL.
        public var messages: [(type: String, message: String)]
        public var resultXml: String
    }

    /// Reads `saveReturn`/`queryReturn`, following `href` to `multiRef` elements. nil when the
    /// body is not a SOAP reply with a result.
    public static func result(_ bytes: [UInt8]) -> Result? {
        guard let root = XMLTree.parse(bytes), let body = root.child("Body") else { return nil }
        guard let response = body.children.first(where: { $0.name.hasSuffix("Response") })?.resolved(in: root),
              let returned = response.children.first?.resolved(in: root) else { return nil }
        func value(_ name: String, in element: XMLTree) -> String { element.child(name)?.resolved(in: root).text ?? "" }
        var messages: [(String, String)] = []
        for message in returned.children where message.name == "messages" {
            let resolved = message.resolved(in: root)
            // Either a list of CAdxMessage items or a single one.
            let items = resolved.children.contains { $0.name == "message" } ? [resolved] : resolved.children.map { $0.resolved(in: root) }
            for item in items { messages.append((value("type", in: item), value("message", in: item))) }
        }
        return Result(status: value("status", in: returned), messages: messages, resultXml: value("resultXml", in: returned))
    }

    /// A SOAP fault's text, if the reply is one.
    public static func fault(_ bytes: [UInt8]) -> String? {
        guard let root = XMLTree.parse(bytes), let fault = root.child("Body")?.child("Fault") else { return nil }
        return fault.child("faultstring")?.text ?? "SOAP fault"
    }
}
