import CLibXML2

/// The object XML of a GAS publication (SPEC §13.2, `x3.soap.layout`): `<PARAM>` with each header
/// group's fields, then the line table with one `<LIN>` per journal line — its fields and its
/// dimension columns. Written with libxml2's text writer, so every value is escaped by the
/// library; the layout is data, this is the one engine that fills it.
struct XMLPayload: Sendable {
    let layout: SOAPLayout
    let values: PlaceholderValues

    /// X3 fields are short (DESVCR and DES hold 30 characters); a longer value is refused, never cut.
    static let fieldLength = 30

    init(x3: Configuration.X3) {
        layout = x3.soap.layout
        values = PlaceholderValues(x3: x3, date: { $0.compact }, decimalSeparator: ".")
    }

    /// The document, checked by reading it back against the layout as the poster will.
    func render(_ entry: JournalEntry) throws(LedgerDropError) -> [UInt8] {
        for line in entry.lines {
            for dimension in line.dimensions where !layout.dimensions.contains(where: { $0.type == dimension.type }) {
                throw LedgerDropError(.invalidPayload, "line \(line.number) of \(entry.key) has a \(dimension.type) dimension (\(dimension.value)) but x3.soap.layout.dimensions has no column for \(dimension.type)")
            }
        }
        func fill(_ field: SOAPLayout.Field, _ line: JournalLine?) -> String {
            field.value.parts.map { part in
                switch part {
                case .literal(let text): text
                case .placeholder(let placeholder): values.value(placeholder, entry, line)
                }
            }.joined()
        }
        let bytes = XMLWriter.document(indent: "  ") { w in
            w.start("PARAM")
            for group in layout.groups {
                w.start("GRP"); w.attribute("ID", group.id)
                for field in group.fields { w.field(field.name, fill(field, nil)) }
                w.end()
            }
            w.start("TAB"); w.attribute("ID", layout.table); w.attribute("SIZE", String(entry.lines.count))
            for line in entry.lines {
                w.start("LIN"); w.attribute("NUM", String(line.number))
                for field in layout.lines { w.field(field.name, fill(field, line)) }
                for column in layout.dimensions {
                    w.field(column.column, line.dimensions.first { $0.type == column.type }?.value ?? "")
                }
                w.end()
            }
            w.end()
            w.end()
        }
        _ = try read(bytes, fileName: entry.key.fileStem + ".xml")
        return bytes
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
