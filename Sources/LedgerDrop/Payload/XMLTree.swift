import CLibXML2

/// A parsed XML element, read with libxml2 (no network, no external entities) into plain values,
/// addressed by local names so that namespace prefixes never matter (SPEC §6.2).
public struct XMLTree: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var text: String
    public var children: [XMLTree]

    public static func parse(_ bytes: [UInt8]) -> XMLTree? {
        XMLLibrary.initialize()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOBLANKS.rawValue)
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "message.xml", nil, options) }
        }
        guard let doc else { return nil }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { return nil }
        return tree(root, depth: 0)
    }

    private static func tree(_ node: xmlNodePtr, depth: Int) -> XMLTree {
        var attributes: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            let name = String(cString: current.pointee.name)
            attributes[name] = XMLDocumentReader.attribute(node, name)
            attribute = current.pointee.next
        }
        var children: [XMLTree] = []
        var text = ""
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, depth < 64 {
                children.append(tree(current, depth: depth + 1))
            } else if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE, let content = xmlNodeGetContent(current) {
                text += String(cString: content)
                ledgerdrop_xmlFree(content)
            }
            child = current.pointee.next
        }
        return XMLTree(name: XMLDocumentReader.name(of: node), attributes: attributes, text: text, children: children)
    }

    /// The first child with this local name.
    public func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Every element with this local name, at any depth, in document order.
    public func all(_ name: String) -> [XMLTree] {
        var found: [XMLTree] = []
        for child in children {
            if child.name == name { found.append(child) }
            found += child.all(name)
        }
        return found
    }

    /// The element an `href="#id"` points to (SOAP-encoding `multiRef`), else itself.
    public func resolved(in root: XMLTree) -> XMLTree {
        guard let href = attributes["href"], href.hasPrefix("#") else { return self }
        let id = String(href.dropFirst())
        return root.first { $0.attributes["id"] == id } ?? self
    }

    /// The first element at any depth that satisfies `test`.
    public func first(where test: (XMLTree) -> Bool) -> XMLTree? {
        for child in children {
            if test(child) { return child }
            if let found = child.first(where: test) { return found }
        }
        return nil
    }
}
