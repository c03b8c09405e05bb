import CLibXML2

/// The X3 web-service object XML of SPEC §5.2, written with libxml2's text writer so that every
/// value is escaped by the library, not by hand.
enum XMLPayload {
    static func render(_ entry: JournalEntry, soap: Configuration.SOAP) -> [UInt8] {
        XMLWriter.document(indent: "  ") { w in
            w.start("PARAM")
            w.start("GRP"); w.attribute("ID", soap.headerGroup)
            let header: [(String, String)] = [
                ("TYP", entry.entryType), ("FCY", entry.site), ("JOU", entry.journal),
                ("ACCDAT", entry.accountingDate.compact), ("CUR", entry.currency.code),
                ("DESVCR", entry.description), ("REF", entry.reference),
            ]
            for (name, value) in header { w.field(name, value) }
            w.end()
            w.start("TAB"); w.attribute("ID", soap.linesTable); w.attribute("SIZE", String(entry.lines.count))
            for line in entry.lines {
                w.start("LIN"); w.attribute("NUM", String(line.number))
                w.field("ACC", line.account)
                w.field("SNS", String(line.side.rawValue))
                w.field("AMTCUR", Money(minorUnits: line.amount, currency: entry.currency).decimalText)
                w.field("DES", line.description)
                w.field("BPR", line.businessPartner)
                w.field("VAT", line.tax)
                if !line.dimensions.isEmpty {
                    w.list("DIE", line.dimensions.map(\.type))
                    w.list("CCE", line.dimensions.map(\.value))
                }
                w.end()
            }
            w.end()
            w.end()
        }
    }
}

/// Thin Swift face of `xmlTextWriter`.
struct XMLWriter {
    let writer: xmlTextWriterPtr

    func withText<R>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
        text.withCString { pointer in
            pointer.withMemoryRebound(to: xmlChar.self, capacity: text.utf8.count + 1, body)
        }
    }

    mutating func start(_ name: String) { _ = withText(name) { xmlTextWriterStartElement(writer, $0) } }

    /// Ends an element with an explicit end tag (`<FLD NAME="JOU"></FLD>`, never `<FLD/>`).
    mutating func end() { xmlTextWriterFullEndElement(writer) }

    mutating func attribute(_ name: String, _ value: String) {
        _ = withText(name) { n in withText(value) { v in xmlTextWriterWriteAttribute(writer, n, v) } }
    }

    mutating func text(_ value: String) { _ = withText(value) { xmlTextWriterWriteString(writer, $0) } }

    mutating func field(_ name: String, _ value: String) {
        start("FLD"); attribute("NAME", name); text(value); end()
    }

    mutating func list(_ name: String, _ items: [String]) {
        start("LST"); attribute("NAME", name); attribute("SIZE", String(items.count))
        for item in items { start("ITM"); text(item); end() }
        end()
    }
}

extension XMLWriter {
    /// Writes one document with libxml2's text writer into memory and returns its bytes.
    /// `indent`: each nesting level on its own line, indented by it (the payload files people read).
    static func document(declaration: Bool = true, indent: String? = nil, _ body: (inout XMLWriter) -> Void) -> [UInt8] {
        XMLLibrary.initialize()
        let buffer = xmlBufferCreate()!
        defer { xmlBufferFree(buffer) }
        let writer = xmlNewTextWriterMemory(buffer, 0)!
        var w = XMLWriter(writer: writer)
        if let indent {
            xmlTextWriterSetIndent(writer, 1)
            _ = w.withText(indent) { xmlTextWriterSetIndentString(writer, $0) }
        }
        if declaration { xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil) }
        body(&w)
        if declaration { xmlTextWriterEndDocument(writer) }
        // Freeing the writer flushes it into the buffer.
        xmlFreeTextWriter(writer)
        return Array(UnsafeBufferPointer(start: xmlBufferContent(buffer), count: Int(xmlBufferLength(buffer))))
    }
}

enum XMLLibrary {
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Called before any libxml2 use; libxml2 must be initialised once before use from threads.
    static func initialize() { _ = initialized }
}
