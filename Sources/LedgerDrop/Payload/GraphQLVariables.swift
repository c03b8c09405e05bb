/// The variables of a customer's GraphQL operation (SPEC §13.2, `x3.graphql.variables`): the
/// template filled for one entry — the repeated item once per line — and a payload's variables
/// read back against it, the structural check before writing and before posting.
struct GraphQLVariables: Sendable {
    let template: VariablesTemplate
    let values: PlaceholderValues

    init(template: VariablesTemplate, x3: Configuration.X3) {
        self.template = template
        values = PlaceholderValues(x3: x3, date: { $0.description }, decimalSeparator: ".")
    }

    /// Objects and lists one member per line, each repeated item on one line (as the default
    /// payload is laid out, so a diff of two payloads reads line by line).
    func write(_ entry: JournalEntry, into out: inout JSONText, indent: Int) {
        write(template, entry, nil, into: &out, indent: indent, inline: false)
    }

    private func write(_ template: VariablesTemplate, _ entry: JournalEntry, _ line: JournalLine?, into out: inout JSONText, indent: Int, inline: Bool) {
        let pad = String(repeating: " ", count: indent + 2), end = String(repeating: " ", count: indent)
        switch template {
        case .object(let members):
            out.raw(inline ? "{" : "{\n")
            for (index, member) in members.enumerated() {
                if !inline { out.rawText(pad) }
                out.string(member.key); out.raw(": ")
                write(member.value, entry, line, into: &out, indent: indent + 2, inline: inline)
                if index < members.count - 1 { out.raw(inline ? ", " : ",\n") }
            }
            if inline { out.raw("}") } else { out.raw("\n"); out.rawText(end); out.raw("}") }
        case .list(let items):
            out.raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.raw(", ") }
                write(item, entry, line, into: &out, indent: indent, inline: true)
            }
            out.raw("]")
        case .repeated(let item):
            out.raw("[\n")
            for (index, journalLine) in entry.lines.enumerated() {
                out.rawText(pad)
                write(item, entry, journalLine, into: &out, indent: indent + 2, inline: true)
                out.raw(index < entry.lines.count - 1 ? ",\n" : "\n")
            }
            out.rawText(end); out.raw("]")
        case .text(let text):
            out.string(text.parts.map { part in
                switch part {
                case .literal(let literal): literal
                case .placeholder(let placeholder): values.value(placeholder, entry, line)
                }
            }.joined())
        case .number(let placeholder):
            let value = values.value(placeholder, entry, line)
            if value.isEmpty { out.raw("null") } else { out.rawText(value) }
        case .literal(let raw):
            out.rawText(raw)
        }
    }

    /// A payload's `variables` read back: the same keys everywhere, lists as long, literals as
    /// written, one item per line; the values held alone by a placeholder give the entry.
    func read(_ variables: JSONValue, fileName: String) throws(LedgerDropError) -> PayloadReading {
        func invalid(_ why: String) -> LedgerDropError { LedgerDropError(.invalidPayload, "\(fileName): \(why)") }
        var entry = PayloadReading.Found()
        var lines: [PayloadReading.Found] = []
        try match(template, variables, path: "variables", line: nil, entry: &entry, lines: &lines, invalid: invalid)
        var reading = PayloadReading()
        reading.site = entry[.site] ?? ""
        reading.entryType = entry[.entryType] ?? ""
        reading.reference = entry[.reference] ?? entry[.sourceDocument] ?? ""
        reading.currency = entry[.currency] ?? ""
        guard let date = entry[.accountingDate], let day = Day(date) else { throw invalid("the accounting date is not yyyy-MM-dd") }
        reading.accountingDate = day
        reading.sourceDate = entry[.sourceDate].flatMap { Day($0) }
        guard !reading.reference.isEmpty else { throw invalid("the report ID ({reference} or {sourceDocument}) is empty") }
        for (index, found) in lines.enumerated() {
            reading.lines.append(try found.line(decimalSeparator: ".", invalid: { invalid("line \(index + 1): \($0)") }))
        }
        guard reading.lines.count >= 2 else { throw invalid("an entry needs at least two lines") }
        try reading.checkBalanced(fileName: fileName)
        return reading
    }

    private func match(_ template: VariablesTemplate, _ value: JSONValue, path: String, line: Int?, entry: inout PayloadReading.Found,
                       lines: inout [PayloadReading.Found], invalid: (String) -> LedgerDropError) throws(LedgerDropError) {
        func record(_ placeholder: Placeholder, _ text: String) {
            if let line { lines[line].values.append((placeholder, text)) } else { entry.values.append((placeholder, text)) }
        }
        switch template {
        case .object(let members):
            guard case .object(let object) = value else { throw invalid("\(path) is \(value.kindName), not an object") }
            let keys = object.map(\.key)
            if let extra = keys.first(where: { key in !members.contains { $0.key == key } }) { throw invalid("\(path).\(extra) is not in x3.graphql.variables") }
            for member in members {
                guard let child = object[member.key] else { throw invalid("\(path).\(member.key) is missing") }
                try match(member.value, child, path: "\(path).\(member.key)", line: line, entry: &entry, lines: &lines, invalid: invalid)
            }
        case .list(let items):
            guard case .array(let array) = value, array.count == items.count else { throw invalid("\(path) is not a list of \(items.count)") }
            for (item, child) in zip(items, array) { try match(item, child, path: "\(path)[]", line: line, entry: &entry, lines: &lines, invalid: invalid) }
        case .repeated(let item):
            guard case .array(let array) = value else { throw invalid("\(path) is \(value.kindName), not the list of lines") }
            for child in array {
                lines.append(PayloadReading.Found())
                try match(item, child, path: "\(path)[\(lines.count)]", line: lines.count - 1, entry: &entry, lines: &lines, invalid: invalid)
            }
        case .text(let text):
            guard case .string(let string) = value else { throw invalid("\(path) is \(value.kindName), not a string") }
            if let placeholder = template.lonePlaceholder {
                record(placeholder, string)
            } else if text.placeholders.isEmpty {
                let literal = text.parts.map { if case .literal(let l) = $0 { l } else { "" } }.joined()
                guard string == literal else { throw invalid("\(path) holds \"\(string)\" where the layout writes \"\(literal)\"") }
            }
        case .number(let placeholder):
            switch value {
            case .number(let text): record(placeholder, text)
            case .null: record(placeholder, "")
            default: throw invalid("\(path) is \(value.kindName), not a number")
            }
        case .literal(let raw):
            guard (try? JSONParser.parse(Array(raw.utf8))) == value else { throw invalid("\(path) is not \(raw) as the layout writes it") }
        }
    }
}
