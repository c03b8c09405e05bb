/// Replies as X3's web services write them, for the sandbox: `saveReturn` through a `multiRef`
/// (SOAP encoding, as Axis-based X3 servers answer) and a `RESULT` document.
extension SOAPEnvelope {
    public static func reply(operation: String, status: Int, messages: [(type: Int, message: String)], resultXml: String) -> [UInt8] {
        XMLWriter.document { w in
            w.start("soapenv:Envelope")
            w.attribute("xmlns:soapenv", soapNamespace)
            w.attribute("xmlns:wss", wssNamespace)
            w.start("soapenv:Body")
            w.start("wss:\(operation)Response")
            w.start("\(operation)Return"); w.attribute("href", "#id0"); w.end()
            w.end()
            w.start("multiRef"); w.attribute("id", "id0")
            for (type, message) in messages {
                w.start("messages")
                w.start("message"); w.text(message); w.end()
                w.start("type"); w.text(String(type)); w.end()
                w.end()
            }
            w.start("resultXml"); w.text(resultXml); w.end()
            w.start("status"); w.text(String(status)); w.end()
            w.end()
            w.end(); w.end()
        }
    }

    /// `<RESULT>` with a header group and/or a table of lines.
    public static func resultDocument(group: String, header: [(String, String)], table: String, lines: [[(String, String)]]) -> String {
        let bytes = XMLWriter.document(declaration: false) { w in
            w.start("RESULT")
            if !header.isEmpty {
                w.start("GRP"); w.attribute("ID", group)
                for (name, value) in header { w.field(name, value) }
                w.end()
            }
            if !lines.isEmpty {
                w.start("TAB"); w.attribute("ID", table); w.attribute("SIZE", String(lines.count))
                for (index, line) in lines.enumerated() {
                    w.start("LIN"); w.attribute("NUM", String(index + 1))
                    for (name, value) in line { w.field(name, value) }
                    w.end()
                }
                w.end()
            }
            w.end()
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
