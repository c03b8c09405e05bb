/// The object XML read back against `x3.soap.layout`: the structural check of SPEC §13.2 before a
/// payload is written and before it is posted (a hand-made or edited file included). The layout
/// is the schema: every group once, with exactly its fields; one line table whose `SIZE` and
/// `NUM`s count its lines, each with exactly the line fields and dimension columns; literals as
/// written; no value longer than an X3 field holds; the lines balanced.
extension XMLPayload {
    func read(_ bytes: [UInt8], fileName: String) throws(LedgerDropError) -> PayloadReading {
        func invalid(_ why: String) -> LedgerDropError { LedgerDropError(.invalidPayload, "\(fileName): \(why)") }
        // A DTD could declare entities; an X3 object never carries one.
        guard !Self.holdsDoctype(bytes) else { throw invalid("carries a <!DOCTYPE>; an X3 object has none") }
        guard let root = XMLTree.parse(bytes) else { throw invalid("is not well-formed XML") }
        guard root.name == "PARAM" else { throw invalid("the document is <\(root.name)>, not the <PARAM> of an X3 object") }
        if let other = root.children.first(where: { $0.name != "GRP" && $0.name != "TAB" }) {
            throw invalid("<PARAM> holds <\(other.name)>; an X3 object holds GRP and TAB elements only")
        }
        var header = PayloadReading.Found()
        for group in root.children where group.name == "GRP" {
            let id = group.attributes["ID"] ?? ""
            guard layout.groups.contains(where: { $0.id == id }) else { throw invalid("group \"\(id)\" is not in x3.soap.layout.groups") }
        }
        for group in layout.groups {
            let found = root.children.filter { $0.name == "GRP" && $0.attributes["ID"] == group.id }
            guard found.count == 1 else { throw invalid(found.isEmpty ? "group \(group.id) is missing" : "group \(group.id) appears \(found.count) times") }
            try fields(of: found[0], expected: group.fields, columns: [], place: "group \(group.id)", into: &header, invalid: invalid)
        }

        var reading = PayloadReading()
        reading.site = header[.site] ?? ""
        reading.entryType = header[.entryType] ?? ""
        reading.reference = header[.reference] ?? header[.sourceDocument] ?? ""
        reading.currency = header[.currency] ?? ""
        guard let date = header[.accountingDate], let day = Day.compact(date) else {
            throw invalid("the accounting date (\(layout.headerField(.accountingDate) ?? "ACCDAT")) is not yyyyMMdd")
        }
        reading.accountingDate = day
        reading.sourceDate = header[.sourceDate].flatMap(Day.compact)
        guard !reading.reference.isEmpty else { throw invalid("the report ID (\(layout.referenceField ?? "BPRVCR")) is empty") }

        let tables = root.children.filter { $0.name == "TAB" }
        guard tables.count == 1, let table = tables.first, table.attributes["ID"] == layout.table else {
            throw invalid("the lines must be one table \(layout.table) (x3.soap.layout.table)")
        }
        let rows = table.children
        if let other = rows.first(where: { $0.name != "LIN" }) { throw invalid("table \(layout.table) holds <\(other.name)>, not only LIN rows") }
        guard table.attributes["SIZE"] == String(rows.count) else {
            throw invalid("table \(layout.table) says SIZE=\"\(table.attributes["SIZE"] ?? "")\" and holds \(rows.count) lines")
        }
        for (index, row) in rows.enumerated() {
            guard row.attributes["NUM"] == String(index + 1) else { throw invalid("line \(index + 1) of table \(layout.table) is numbered \"\(row.attributes["NUM"] ?? "")\"") }
            var found = PayloadReading.Found()
            try fields(of: row, expected: layout.lines, columns: layout.dimensions.map(\.column), place: "line \(index + 1)", into: &found, invalid: invalid)
            reading.lines.append(try found.line(decimalSeparator: ".", invalid: { invalid("line \(index + 1): \($0)") }))
        }
        guard reading.lines.count >= 2 else { throw invalid("an entry needs at least two lines") }
        try reading.checkBalanced(fileName: fileName)
        return reading
    }

    static func holdsDoctype(_ bytes: [UInt8]) -> Bool {
        let marker = Array("<!DOCTYPE".utf8)
        guard bytes.count >= marker.count else { return false }
        return (0...(bytes.count - marker.count)).contains { at in bytes[at] == marker[0] && bytes[at..<(at + marker.count)].elementsEqual(marker) }
    }

    /// The FLD children of a group or line: exactly the expected names, once each, literals as
    /// the layout writes them; the values of the fields that hold one placeholder collected.
    private func fields(of element: XMLTree, expected: [SOAPLayout.Field], columns: [String], place: String,
                        into found: inout PayloadReading.Found, invalid: (String) -> LedgerDropError) throws(LedgerDropError) {
        var seen: [String] = []
        for child in element.children {
            guard child.name == "FLD", child.children.isEmpty else { throw invalid("\(place) holds <\(child.name)>; fields are <FLD NAME=\"…\">text</FLD>") }
            let name = child.attributes["NAME"] ?? ""
            guard !seen.contains(name) else { throw invalid("\(place) has the field \(name) twice") }
            seen.append(name)
            guard child.text.count <= Self.fieldLength else {
                throw invalid("\(place): the value of \(name) is \(child.text.count) characters long; X3 holds \(Self.fieldLength)")
            }
            if columns.contains(name) {
                if let type = layout.dimensions.first(where: { $0.column == name })?.type { found.values.append((.lineDimension(type), child.text)) }
                continue
            }
            guard let field = expected.first(where: { $0.name == name }) else { throw invalid("\(place) has the field \"\(name)\", which is not in x3.soap.layout") }
            if let placeholder = field.placeholder {
                found.values.append((placeholder, child.text))
            } else if !field.value.placeholders.isEmpty {
                continue
            } else {
                let literal = field.value.parts.map { if case .literal(let text) = $0 { text } else { "" } }.joined()
                guard child.text == literal else { throw invalid("\(place): \(name) holds \"\(child.text)\" where the layout writes \"\(literal)\"") }
            }
        }
        if let missing = (expected.map(\.name) + columns).first(where: { !seen.contains($0) }) {
            throw invalid("\(place) lacks the field \(missing) (x3.soap.layout)")
        }
    }
}
