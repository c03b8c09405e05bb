/// What `getDescription` says a GAS publication holds (SPEC §13.3): its groups and tables, each
/// with its field names. Read tolerantly by local names: a group or table is a `GRP` or `TAB`
/// element named by its `NAM`, `NAME` or `ID` attribute, a field any `FLD` inside it, named the
/// same way.
struct PublicationDescription: Sendable, Equatable {
    var groups: [String: Set<String>] = [:]
    var tables: [String: Set<String>] = [:]

    init(groups: [String: Set<String>] = [:], tables: [String: Set<String>] = [:]) {
        self.groups = groups
        self.tables = tables
    }

    /// nil when the text is not XML or names no group or table.
    init?(resultXml: String) {
        guard let root = XMLTree.parse(Array(resultXml.utf8)) else { return nil }
        func name(_ element: XMLTree) -> String { element.attributes["NAM"] ?? element.attributes["NAME"] ?? element.attributes["ID"] ?? "" }
        func fields(_ element: XMLTree) -> Set<String> { Set(element.all("FLD").map(name)) }
        for group in root.all("GRP") { groups[name(group), default: []].formUnion(fields(group)) }
        for table in root.all("TAB") { tables[name(table), default: []].formUnion(fields(table)) }
        if groups.isEmpty && tables.isEmpty { return nil }
    }

    /// One line per group, field, table or dimension column of the layout that the publication
    /// lacks; one line saying all is there otherwise.
    func findings(for layout: SOAPLayout, publicName: String) -> [(ok: Bool, text: String)] {
        var missing: [String] = []
        for group in layout.groups {
            guard let fields = groups[group.id] else {
                missing.append("group \(group.id) (x3.soap.layout.groups) is not in the publication \(publicName)")
                continue
            }
            for field in group.fields where !fields.contains(field.name) {
                missing.append("field \(field.name) of group \(group.id) is not in the publication \(publicName)")
            }
        }
        if let columns = tables[layout.table] {
            for field in layout.lines where !columns.contains(field.name) {
                missing.append("line field \(field.name) of table \(layout.table) is not in the publication \(publicName)")
            }
            for dimension in layout.dimensions where !columns.contains(dimension.column) {
                missing.append("dimension column \(dimension.column) (\(dimension.type)) of table \(layout.table) is not in the publication \(publicName)")
            }
        } else {
            missing.append("line table \(layout.table) (x3.soap.layout.table) is not in the publication \(publicName)")
        }
        if missing.isEmpty {
            let fields = layout.groups.reduce(0) { $0 + $1.fields.count }
            return [(true, "the publication \(publicName) has every part of x3.soap.layout (\(layout.groups.count) groups with \(fields) fields, table \(layout.table) with \(layout.lines.count) fields and \(layout.dimensions.count) dimension columns)")]
        }
        return missing.map { (false, $0) }
    }
}
