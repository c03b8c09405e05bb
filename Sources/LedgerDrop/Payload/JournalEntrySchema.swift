import CLibXML2

/// The XML Schema of the X3 object XML (SPEC §5.2), compiled once by libxml2 and used to
/// validate every XML payload before it is written and before it is posted.
public final class JournalEntrySchema: @unchecked Sendable {
    // The compiled schema is read-only after init; libxml2 allows sharing it between validation
    // contexts on several threads, and each `validate` call makes its own context.
    private let schema: xmlSchemaPtr

    public static let shared = JournalEntrySchema()

    private init() {
        XMLLibrary.initialize()
        // libxml2 keeps the pointer given to xmlSchemaNewMemParserCtxt and reads the text only in
        // xmlSchemaParse: both calls stay inside the closure that lends the buffer, or a release
        // build frees the array in between (it ends a value's life at its last Swift use).
        let compiled: xmlSchemaPtr? = Array(Self.source.utf8).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { text in
                guard let parser = xmlSchemaNewMemParserCtxt(text.baseAddress, Int32(text.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(parser) }
                return xmlSchemaParse(parser)
            }
        }
        guard let compiled else { fatalError("the shipped journal-entry XML Schema does not compile") }
        schema = compiled
    }

    /// The messages of every violation; empty when the document is valid.
    public func validate(_ document: [UInt8]) -> [String] {
        let collector = MessageCollector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        let doc = document.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                xmlReadMemory($0.baseAddress, Int32($0.count), "payload.xml", "UTF-8", Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue))
            }
        }
        guard let doc else { return ["the payload is not well-formed XML"] }
        defer { xmlFreeDoc(doc) }
        guard let validation = xmlSchemaNewValidCtxt(schema) else { return ["libxml2 could not create a validation context"] }
        defer { xmlSchemaFreeValidCtxt(validation) }
        xmlSchemaSetValidStructuredErrors(validation, { context, error in
            guard let context, let error, let message = error.pointee.message else { return }
            let collector = Unmanaged<MessageCollector>.fromOpaque(context).takeUnretainedValue()
            let text = String(cString: message).trimmingSpaces
            collector.messages.append("line \(error.pointee.line): \(text)")
        }, context)
        // The collector is reached only through the opaque pointer: keep it alive while C holds it.
        let result = withExtendedLifetime(collector) { xmlSchemaValidateDoc(validation, doc) }
        if result != 0, collector.messages.isEmpty { return ["the payload does not match the schema (libxml2 code \(result))"] }
        return collector.messages
    }

    private final class MessageCollector {
        var messages: [String] = []
    }

    /// The schema text. An X3 administrator can read it in `docs/journal-entry.xsd`.
    public static let source = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- ledgerdrop: the X3 object XML of a journal entry (object GAS, SPEC 5.2). -->
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="PARAM">
            <xs:complexType>
              <xs:sequence>
                <xs:element name="GRP" type="Header"/>
                <xs:element name="TAB" type="Lines"/>
              </xs:sequence>
            </xs:complexType>
          </xs:element>

          <xs:simpleType name="Identifier">
            <xs:restriction base="xs:string"><xs:pattern value="[A-Za-z0-9_]{1,30}"/></xs:restriction>
          </xs:simpleType>
          <xs:simpleType name="Text30">
            <xs:restriction base="xs:string"><xs:maxLength value="30"/></xs:restriction>
          </xs:simpleType>
          <xs:simpleType name="Code">
            <xs:restriction base="xs:string"><xs:maxLength value="20"/></xs:restriction>
          </xs:simpleType>

          <xs:complexType name="Header">
            <xs:sequence>
              <xs:element name="FLD" type="HeaderField" minOccurs="7" maxOccurs="7"/>
            </xs:sequence>
            <xs:attribute name="ID" type="Identifier" use="required"/>
          </xs:complexType>
          <xs:complexType name="HeaderField">
            <xs:simpleContent>
              <xs:extension base="Text30">
                <xs:attribute name="NAME" use="required">
                  <xs:simpleType>
                    <xs:restriction base="xs:string">
                      <xs:enumeration value="TYP"/><xs:enumeration value="FCY"/><xs:enumeration value="JOU"/>
                      <xs:enumeration value="ACCDAT"/><xs:enumeration value="CUR"/>
                      <xs:enumeration value="DESVCR"/><xs:enumeration value="REF"/>
                    </xs:restriction>
                  </xs:simpleType>
                </xs:attribute>
              </xs:extension>
            </xs:simpleContent>
          </xs:complexType>

          <xs:complexType name="Lines">
            <xs:sequence>
              <xs:element name="LIN" type="Line" minOccurs="2" maxOccurs="9999"/>
            </xs:sequence>
            <xs:attribute name="ID" type="Identifier" use="required"/>
            <xs:attribute name="SIZE" type="xs:positiveInteger" use="required"/>
          </xs:complexType>
          <xs:complexType name="Line">
            <xs:sequence>
              <xs:element name="FLD" type="LineField" minOccurs="6" maxOccurs="6"/>
              <xs:element name="LST" type="List" minOccurs="0" maxOccurs="2"/>
            </xs:sequence>
            <xs:attribute name="NUM" type="xs:positiveInteger" use="required"/>
          </xs:complexType>
          <xs:complexType name="LineField">
            <xs:simpleContent>
              <xs:extension base="Text30">
                <xs:attribute name="NAME" use="required">
                  <xs:simpleType>
                    <xs:restriction base="xs:string">
                      <xs:enumeration value="ACC"/><xs:enumeration value="SNS"/><xs:enumeration value="AMTCUR"/>
                      <xs:enumeration value="DES"/><xs:enumeration value="BPR"/><xs:enumeration value="VAT"/>
                    </xs:restriction>
                  </xs:simpleType>
                </xs:attribute>
              </xs:extension>
            </xs:simpleContent>
          </xs:complexType>
          <xs:complexType name="List">
            <xs:sequence>
              <xs:element name="ITM" type="Code" minOccurs="1" maxOccurs="9"/>
            </xs:sequence>
            <xs:attribute name="NAME" use="required">
              <xs:simpleType>
                <xs:restriction base="xs:string"><xs:enumeration value="DIE"/><xs:enumeration value="CCE"/></xs:restriction>
              </xs:simpleType>
            </xs:attribute>
            <xs:attribute name="SIZE" type="xs:positiveInteger" use="required"/>
          </xs:complexType>
        </xs:schema>
        """
}
