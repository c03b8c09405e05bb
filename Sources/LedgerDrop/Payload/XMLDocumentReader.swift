import CLibXML2

/// Reads an X3 object XML (`<PARAM>` or `<RESULT>`): the header group's fields and each line's
/// fields, by local names, with libxml2 (never fetching anything from the network).
enum XMLDocumentReader {
    struct Fields {
        var header: [String: String] = [:]
        var lines: [[String: String]] = []
    }

    static func fields(_ bytes: [UInt8]) -> Fields {
        XMLLibrary.initialize()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "document.xml", "UTF-8", options) }
        }
        guard let doc else { return Fields() }
        defer { xmlFreeDoc(doc) }
        var result = Fields()
        walk(xmlDocGetRootElement(doc)) { node in
            switch name(of: node) {
            case "GRP":
                for field in children(node, named: "FLD") { result.header[attribute(field, "NAME")] = text(of: field) }
            case "LIN":
                var line: [String: String] = [:]
                for field in children(node, named: "FLD") { line[attribute(field, "NAME")] = text(of: field) }
                result.lines.append(line)
            default: break
            }
        }
        return result
    }

    static func walk(_ node: xmlNodePtr?, _ visit: (xmlNodePtr) -> Void) {
        var current = node
        while let node = current {
            if node.pointee.type == XML_ELEMENT_NODE {
                visit(node)
                walk(node.pointee.children, visit)
            }
            current = node.pointee.next
        }
    }

    static func children(_ node: xmlNodePtr, named wanted: String) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, name(of: current) == wanted { result.append(current) }
            child = current.pointee.next
        }
        return result
    }

    static func name(of node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name)
    }

    static func attribute(_ node: xmlNodePtr, _ attributeName: String) -> String {
        guard let value = xmlGetProp(node, attributeName) else { return "" }
        defer { ledgerdrop_xmlFree(value) }
        return String(cString: value)
    }

    static func text(of node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { ledgerdrop_xmlFree(content) }
        return String(cString: content)
    }
}
