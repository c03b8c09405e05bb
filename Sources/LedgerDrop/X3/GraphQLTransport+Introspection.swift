/// SPEC §13.3 on the GraphQL route: `__type` introspection of the mutation's input types — every
/// property the variables (x3.graphql.variables, or SPEC §5.1's shape) send must exist on the
/// server, each missing one named on its own line.
extension GraphQLTransport {
    static let introspection = """
        query LedgerdropInputType($name: String!) { __type(name: $name) { name inputFields { name type { name kind ofType { name kind ofType { name kind ofType { name } } } } } } }
        """

    public func checkPublication() async throws(LedgerDropError) -> [(ok: Bool, text: String)] {
        let mutation = x3.graphql.mutation
        let shape = x3.graphql.variables ?? Configuration.GraphQL.defaultShape
        var findings: [(ok: Bool, text: String)] = []
        var checked = 0
        for variable in shape.keys {
            guard let type = Self.variableType(variable, in: mutation) else {
                findings.append((false, "x3.graphql.mutation declares no $\(variable) for x3.graphql.variables.\(variable)"))
                continue
            }
            guard let template = shape[variable] else { continue }
            try await compare(template, typeName: type, path: variable, findings: &findings, checked: &checked, depth: 0)
        }
        if findings.isEmpty {
            findings.append((true, "the GraphQL input types of the mutation have every property ledgerdrop sends (\(checked) checked by __type introspection)"))
        }
        return findings
    }

    private func compare(_ template: VariablesTemplate, typeName: String, path: String, findings: inout [(ok: Bool, text: String)],
                         checked: inout Int, depth: Int) async throws(LedgerDropError) {
        // An object, or the object item of a list (the repeated line, a list of one).
        let object: VariablesTemplate
        switch template {
        case .object: object = template
        case .repeated(let item): object = item
        case .list(let items) where items.count == 1: object = items[0]
        default: return
        }
        guard case .object(let members) = object, depth < 4 else { return }
        guard let fields = try await inputFields(of: typeName) else {
            findings.append((false, "GraphQL input type \(typeName) (for \(path)) is not on the server"))
            return
        }
        for member in members {
            checked += 1
            guard let field = fields.first(where: { $0.name == member.key }) else {
                findings.append((false, "GraphQL input property \(typeName).\(member.key) (x3.graphql.variables \(path).\(member.key)) is not on the server"))
                continue
            }
            if let inner = field.type { try await compare(member.value, typeName: inner, path: "\(path).\(member.key)", findings: &findings, checked: &checked, depth: depth + 1) }
        }
    }

    /// The input fields of a type and the named type under each (lists and non-nulls unwrapped);
    /// nil when the server has no such type.
    func inputFields(of typeName: String) async throws(LedgerDropError) -> [(name: String, type: String?)]? {
        var body = JSONText()
        body.raw("{\"query\":"); body.string(Self.introspection)
        body.raw(",\"variables\":{\"name\":"); body.string(typeName); body.raw("}}")
        guard let document = try await checkAnswer(body.bytes, to: "the introspection of \(typeName)") else { return nil }
        guard case .array(let fields)? = document["data"]?["__type"]?["inputFields"] else { return nil }
        return fields.compactMap { field in
            guard case .string(let name)? = field["name"] else { return nil }
            var type = field["type"]
            var named: String? = nil
            for _ in 0..<4 {
                if case .string(let n)? = type?["name"] { named = n; break }
                type = type?["ofType"]
            }
            return (name, named)
        }
    }

    /// The type of `$name` in the operation's text (`$data: JournalEntry_Input!` → `JournalEntry_Input`).
    static func variableType(_ name: String, in operation: String) -> String? {
        guard let range = operation.range(of: "$\(name):") else { return nil }
        let rest = operation[range.upperBound...].drop { $0 == " " || $0 == "[" }
        let type = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return type.isEmpty ? nil : String(type)
    }
}

extension Configuration.GraphQL {
    /// The keys SPEC §5.1's operation sends, for introspection when no variables template is set.
    /// Built on each use (check runs it once): held in a static, its indirect-enum boxes are
    /// reported as leaks by LeakSanitizer, which fails the ASan end-to-end run.
    static var defaultShape: VariablesTemplate {
        func object(_ keys: [String], _ nested: [String: VariablesTemplate] = [:]) -> VariablesTemplate {
            .object(keys.map { .init($0, nested[$0] ?? .literal("null")) })
        }
        let dimension = object(["dimensionType", "dimension"])
        let line = object(["lineNumber", "account", "sign", "transactionAmount", "lineDescription", "businessPartner", "tax", "dimensions"], ["dimensions": .list([dimension])])
        let data = object(["journalEntryType", "site", "journal", "accountingDate", "transactionCurrency", "description", "reference", "lines"], ["lines": .repeated(line)])
        return .object([.init("data", data)])
    }
}
