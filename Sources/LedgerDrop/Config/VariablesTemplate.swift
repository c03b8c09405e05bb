/// `x3.graphql.variables` (SPEC §13.2): the GraphQL request's variables as a template in the one
/// placeholder vocabulary — objects and lists as written, a list whose single item uses line
/// placeholders repeated once per journal line. A value that is one numeric line placeholder
/// alone (`{line.number}`, `{line.sign}`, `{line.amount}`, `{line.debit}`, `{line.credit}`,
/// `{line.quantity}`) is a JSON number (`null` when empty, as `{line.debit}` on a credit line); an
/// unquoted YAML number, boolean or null is written as it is; anything else is a JSON string.
public indirect enum VariablesTemplate: Sendable, Equatable {
    case object([Member])
    case list([VariablesTemplate])
    /// One item per journal line.
    case repeated(VariablesTemplate)
    case text(PlaceholderTemplate)
    case number(Placeholder)
    /// JSON as written: a number, `true`, `false` or `null`.
    case literal(String)

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: VariablesTemplate
        public init(_ key: String, _ value: VariablesTemplate) {
            self.key = key
            self.value = value
        }
    }

    static let numeric: Set<Placeholder> = [.lineNumber, .lineSign, .lineAmount, .lineDebit, .lineCredit, .lineQuantity]

    /// Whether anything inside uses a line placeholder.
    public var usesLines: Bool {
        switch self {
        case .object(let members): members.contains { $0.value.usesLines }
        case .list(let items): items.contains { $0.usesLines }
        case .repeated: true
        case .text(let template): template.placeholders.contains(where: \.isLineLevel)
        case .number(let placeholder): placeholder.isLineLevel
        case .literal: false
        }
    }

    /// The member `key` of an object template.
    public subscript(key: String) -> VariablesTemplate? {
        if case .object(let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    /// The keys of an object template, in order.
    public var keys: [String] {
        if case .object(let members) = self { return members.map(\.key) }
        return []
    }

    /// The path (`data.lines`) of the first repeated list and its item.
    public func repeatedItem(path: [String] = []) -> (path: [String], item: VariablesTemplate)? {
        switch self {
        case .repeated(let item): return (path, item)
        case .object(let members):
            for member in members { if let found = member.value.repeatedItem(path: path + [member.key]) { return found } }
            return nil
        case .list(let items):
            for item in items { if let found = item.repeatedItem(path: path) { return found } }
            return nil
        default: return nil
        }
    }
}

extension VariablesTemplate {
    /// The placeholder a value holds alone, or nil.
    public var lonePlaceholder: Placeholder? {
        switch self {
        case .number(let placeholder): return placeholder
        case .text(let template):
            if template.parts.count == 1, case .placeholder(let p) = template.parts[0] { return p }
            return nil
        default: return nil
        }
    }

    /// Every placeholder held alone by a value, outside the repeated item (`entry`) and inside it
    /// (`line`).
    public var lonePlaceholders: (entry: Set<Placeholder>, line: Set<Placeholder>) {
        var entry = Set<Placeholder>(), line = Set<Placeholder>()
        func walk(_ template: VariablesTemplate, inLine: Bool) {
            switch template {
            case .object(let members): for member in members { walk(member.value, inLine: inLine) }
            case .list(let items): for item in items { walk(item, inLine: inLine) }
            case .repeated(let item): walk(item, inLine: true)
            default:
                if let p = template.lonePlaceholder { if inLine { line.insert(p) } else { entry.insert(p) } }
            }
        }
        walk(self, inLine: false)
        return (entry, line)
    }
}

extension Configuration.GraphQL {
    /// What a variables template lacks for ledgerdrop to read its own payloads back and find them
    /// again; empty when it is usable.
    static func missing(in template: VariablesTemplate) -> [String] {
        let found = template.lonePlaceholders
        var missing: [String] = []
        if !found.entry.contains(.accountingDate) { missing.append("a value holding {accountingDate}") }
        if !found.entry.contains(.currency) { missing.append("a value holding {currency}") }
        if found.entry.isDisjoint(with: [.reference, .sourceDocument]) { missing.append("a value holding {reference} or {sourceDocument} (the report ID)") }
        if !found.line.contains(.lineAccount) { missing.append("a line value holding {line.account}") }
        if !found.line.isSuperset(of: [.lineDebit, .lineCredit]) && !found.line.isSuperset(of: [.lineSign, .lineAmount]) {
            missing.append("line values holding {line.debit} and {line.credit} (or {line.sign} and {line.amount})")
        }
        return missing
    }
}
