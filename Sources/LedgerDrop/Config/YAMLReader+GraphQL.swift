import Yams

extension YAMLReader {
    /// `x3.graphql` (SPEC §6.1, §13.2): the mutation, the lookup query, and the variables template.
    mutating func graphql(_ node: Node, into x: inout Configuration.X3) {
        let g = fields(node, "x3.graphql", known: ["mutation", "lookup", "variables", "numberField"])
        string(g["mutation"], "x3.graphql.mutation", into: &x.graphql.mutation)
        // The one lookup query this configuration uses: the fingerprint's or the reference's.
        if x.lookupKind == .fingerprint {
            string(g["lookup"], "x3.graphql.lookup", into: &x.graphql.fingerprintLookup)
        } else {
            string(g["lookup"], "x3.graphql.lookup", into: &x.graphql.lookup)
        }
        string(g["numberField"], "x3.graphql.numberField", into: &x.graphql.numberField)
        if let m = g["mutation"], !x.graphql.mutation.contains("mutation") { fail(m, "x3.graphql.mutation must be the text of a GraphQL mutation") }
        guard let variables = g["variables"] else { return }
        let template = variablesTemplate(variables, "x3.graphql.variables", inLine: false)
        guard case .object = template else { return fail(variables, "x3.graphql.variables must be a mapping (the request's variables, e.g. data: {…})") }
        let lines = template.repeatedItem()
        if lines == nil { fail(variables, "x3.graphql.variables needs one list whose single item is the line template (using {line.…} placeholders)") }
        if let item = lines?.item, !item.usesLines { fail(variables, "x3.graphql.variables: the repeated line item uses no {line.…} placeholder") }
        x.graphql.variables = template
        let missing = Configuration.GraphQL.missing(in: template)
        if !missing.isEmpty { fail(variables, "x3.graphql.variables lacks \(missing.joined(separator: "; "))") }
    }

    private mutating func variablesTemplate(_ node: Node, _ name: String, inLine: Bool) -> VariablesTemplate {
        switch node {
        case .mapping(let mapping):
            var members: [VariablesTemplate.Member] = []
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key, !scalar.string.isEmpty else { fail(key, "\(name) has an empty or non-text key"); continue }
                if members.contains(where: { $0.key == scalar.string }) { fail(key, "\"\(scalar.string)\" appears twice in \(name)") }
                members.append(.init(scalar.string, variablesTemplate(value, "\(name).\(scalar.string)", inLine: inLine)))
            }
            return .object(members)
        case .sequence(let sequence):
            let items = sequence.map { variablesTemplate($0, "\(name)[]", inLine: true) }
            if !inLine, items.contains(where: \.usesLines) {
                if items.count == 1 { return .repeated(items[0]) }
                fail(node, "\(name): only a list of one item can be the line item repeated per line")
            }
            return .list(items)
        case .scalar(let scalar):
            if scalar.style == .plain {
                if scalar.isNull { return .literal("null") }
                if ["true", "false"].contains(scalar.string) { return .literal(scalar.string) }
                if ExactDecimal(Substring(scalar.string)) != nil, !scalar.string.hasPrefix("+") { return .literal(scalar.string) }
            }
            var template = PlaceholderTemplate(parts: [])
            self.template(node, name, into: &template)
            if !inLine, let line = template.placeholders.first(where: \.isLineLevel) {
                fail(node, "\(name) is outside the repeated line item: it cannot use \(line.label)")
            }
            if template.parts.count == 1, case .placeholder(let p) = template.parts[0], VariablesTemplate.numeric.contains(p) { return .number(p) }
            return .text(template)
        default:
            fail(node, "\(name) must be a mapping, a list or a value")
            return .literal("null")
        }
    }
}
