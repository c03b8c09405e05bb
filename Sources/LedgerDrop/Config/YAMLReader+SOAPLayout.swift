import Yams

extension YAMLReader {
    /// `x3.soap` (SPEC §6.2, §13.2). `layout` is read as placeholder templates now, so an unknown
    /// placeholder fails at load time with its file, line and column.
    mutating func soap(_ node: Node, into soap: inout Configuration.SOAP) {
        let s = fields(node, "x3.soap", known: ["poolAlias", "publicName", "language", "layout", "lookupKey", "headerGroup", "linesTable"])
        string(s["poolAlias"], "x3.soap.poolAlias", into: &soap.poolAlias)
        string(s["publicName"], "x3.soap.publicName", into: &soap.publicName)
        string(s["language"], "x3.soap.language", into: &soap.language)
        string(s["lookupKey"], "x3.soap.lookupKey", into: &soap.lookupKey)
        // The first layout's two keys fit no real publication: say what replaced them rather than
        // send a document the administrator did not write.
        for old in ["headerGroup", "linesTable"] {
            if let key = s[old] {
                fail(key, "x3.soap.\(old) is replaced by x3.soap.layout (groups, table, lines, dimensions): see docs/x3-setup.md, \"Moving an existing configuration\"")
            }
        }
        if let layout = s["layout"] { soap.layout = soapLayout(layout) }
        if !soap.lookupKey.isEmpty, !soap.layout.groups.contains(where: { $0.fields.contains { $0.name == soap.lookupKey } }) {
            fail(s["lookupKey"] ?? node, "x3.soap.lookupKey \(soap.lookupKey) is not a header field of x3.soap.layout")
        }
    }

    mutating func soapLayout(_ node: Node) -> SOAPLayout {
        var layout = SOAPLayout.standard
        let f = fields(node, "x3.soap.layout", known: ["groups", "table", "lines", "dimensions"])
        if let groups = f["groups"] {
            layout.groups = entries(groups, "x3.soap.layout.groups").map { id, key, value in
                identifier(id, key, "x3.soap.layout.groups")
                return SOAPLayout.Group(id: id, fields: layoutFields(value, "x3.soap.layout.groups.\(id)", lineLevel: false))
            }
            if layout.groups.isEmpty { fail(groups, "x3.soap.layout.groups must name at least one header group") }
        }
        if let table = f["table"] {
            string(table, "x3.soap.layout.table", into: &layout.table)
            identifier(layout.table, table, "x3.soap.layout.table")
        }
        if let lines = f["lines"] { layout.lines = layoutFields(lines, "x3.soap.layout.lines", lineLevel: true) }
        if let dimensions = f["dimensions"] {
            layout.dimensions = entries(dimensions, "x3.soap.layout.dimensions").map { column, key, value in
                identifier(column, key, "x3.soap.layout.dimensions")
                var type = ""
                string(value, "x3.soap.layout.dimensions.\(column)", into: &type)
                if Placeholder(name: "line.dimension." + type) == nil {
                    fail(value, "x3.soap.layout.dimensions.\(column): \"\(type)\" is not a dimension type code")
                }
                if layout.lines.contains(where: { $0.name == column }) {
                    fail(key, "x3.soap.layout.dimensions: \(column) is already a field of x3.soap.layout.lines")
                }
                return SOAPLayout.DimensionColumn(column: column, type: type)
            }
            let types = layout.dimensions.map(\.type)
            if Set(types).count != types.count { fail(dimensions, "x3.soap.layout.dimensions: a dimension type has two columns") }
        }
        let missing = layout.missing
        if !missing.isEmpty { fail(node, "x3.soap.layout lacks \(missing.joined(separator: "; "))") }
        return layout
    }

    /// A mapping of field names to layout texts, in document order.
    private mutating func layoutFields(_ node: Node, _ name: String, lineLevel: Bool) -> [SOAPLayout.Field] {
        var result: [SOAPLayout.Field] = []
        for (field, key, value) in entries(node, name) {
            identifier(field, key, name)
            if result.contains(where: { $0.name == field }) { fail(key, "\"\(field)\" appears twice in \(name)") }
            var template = PlaceholderTemplate(parts: [])
            self.template(value, "\(name).\(field)", into: &template)
            if !lineLevel, let line = template.placeholders.first(where: \.isLineLevel) {
                fail(value, "\(name).\(field) is a header field: it cannot use the line placeholder \(line.label)")
            }
            result.append(SOAPLayout.Field(field, template))
        }
        if result.isEmpty { fail(node, "\(name) must name at least one field") }
        return result
    }

    /// An X3 group, table or field code: letters, digits and `_`, at most 30.
    private mutating func identifier(_ text: String, _ node: Node, _ name: String) {
        let valid = !text.isEmpty && text.count <= 30 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        if !valid { fail(node, "\(name): \"\(text)\" is not an X3 code (letters, digits and _, at most 30)") }
    }
}
