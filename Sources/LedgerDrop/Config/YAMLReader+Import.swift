import Yams

extension YAMLReader {
    /// `x3.import` (SPEC §13.2): the template's records and how their fields are written. Every
    /// record is read as a placeholder template now, so an unknown placeholder fails at load time
    /// with its file, line and column.
    mutating func importLayout(_ node: Node) -> Configuration.Import {
        var layout = Configuration.Import()
        let f = fields(node, "x3.import", known: [
            "template", "publicName", "poolAlias", "records", "dimensions", "fieldSeparator", "decimalSeparator",
            "dateFormat", "encoding", "lineEnding", "ledgerTypes",
        ])
        string(f["template"], "x3.import.template", into: &layout.template)
        string(f["publicName"], "x3.import.publicName", into: &layout.publicName)
        string(f["poolAlias"], "x3.import.poolAlias", into: &layout.poolAlias)
        strings(f["dimensions"], "x3.import.dimensions", into: &layout.dimensions)
        string(f["fieldSeparator"], "x3.import.fieldSeparator", into: &layout.fieldSeparator)
        string(f["decimalSeparator"], "x3.import.decimalSeparator", into: &layout.decimalSeparator)
        string(f["dateFormat"], "x3.import.dateFormat", into: &layout.dateFormat)
        choice(f["encoding"], "x3.import.encoding (utf-8 | iso-8859-1)", into: &layout.encoding)
        choice(f["lineEnding"], "x3.import.lineEnding (crlf | lf)", into: &layout.lineEnding)
        strings(f["ledgerTypes"], "x3.import.ledgerTypes", into: &layout.ledgerTypes)

        if let separator = f["fieldSeparator"], layout.fieldSeparator.count != 1 || "|\r\n".contains(layout.fieldSeparator) {
            fail(separator, "x3.import.fieldSeparator must be one character other than \"|\" (the record separator of AOWSIMPORT) or a line break")
        }
        if let decimal = f["decimalSeparator"], ![".", ","].contains(layout.decimalSeparator) || layout.decimalSeparator == layout.fieldSeparator {
            fail(decimal, "x3.import.decimalSeparator must be \".\" or \",\" and differ from the field separator")
        }
        if let format = f["dateFormat"], !(["DD", "MM", "YY"].allSatisfy { layout.dateFormat.contains($0) }) {
            fail(format, "x3.import.dateFormat must hold DD, MM and YY or YYYY (e.g. DDMMYYYY)")
        }
        if let types = f["ledgerTypes"], layout.ledgerTypes.isEmpty || layout.ledgerTypes.contains(where: \.isEmpty) {
            fail(types, "x3.import.ledgerTypes must list at least one ledger type")
        }
        for dimension in layout.dimensions where dimension.isEmpty || Placeholder(name: "line.dimension." + dimension) == nil {
            fail(f["dimensions"] ?? node, "x3.import.dimensions: \"\(dimension)\" is not a dimension type code")
        }
        // The analytics record follows the dimension slots unless the configuration writes it.
        layout.analytics = (try? PlaceholderTemplate(Configuration.Import.defaultAnalytics(dimensions: layout.dimensions, fieldSeparator: layout.fieldSeparator)))
            ?? layout.analytics
        if let records = f["records"] {
            let r = fields(records, "x3.import.records", known: ["header", "line", "analytics"])
            template(r["header"], "x3.import.records.header", into: &layout.header)
            template(r["line"], "x3.import.records.line", into: &layout.line)
            template(r["analytics"], "x3.import.records.analytics", into: &layout.analytics)
            if let header = r["header"], layout.header.placeholders.contains(where: \.isLineLevel) {
                fail(header, "x3.import.records.header is written once per entry: it cannot use line placeholders ({line.…})")
            }
        }
        // Records are told apart by their first field, a literal record code (G, D, A).
        if layout.fieldSeparator.count == 1 {
            let codes = [layout.header, layout.line, layout.analytics].map { $0.fields(separatedBy: Character(layout.fieldSeparator)).first }
            let literal = codes.compactMap { if case .literal(let code)? = $0, !code.isEmpty { code } else { nil } }
            if literal.count != 3 || Set(literal).count != 3 {
                fail(f["records"] ?? node, "x3.import.records: each record must start with its own record code (G, D, A) as a literal field")
            }
        }
        return layout
    }

    /// A layout text read as a placeholder template; an unknown placeholder is named where it is.
    mutating func template(_ node: Node?, _ name: String, into value: inout PlaceholderTemplate) {
        guard let node else { return }
        var text = ""
        string(node, name, into: &text)
        do { value = try PlaceholderTemplate(text) } catch {
            fail(node, atCharacter: error.offset, "\(name): \(error.message)")
        }
    }
}
