/// The one placeholder vocabulary of every route's layout (SPEC §13.2): a layout names, for each
/// place in a payload, a literal or one of these. Entry-level ones have one value per entry,
/// line-level ones one per journal line.
public enum Placeholder: Sendable, Hashable {
    case site, entryType, journal, accountingDate, currency, description, reference, sourceDocument
    case sourceDate, documentType, status
    case lineNumber, lineSite, lineAccount, lineControlAccount, lineBusinessPartner, lineSign
    case lineAmount, lineDebit, lineCredit, lineDescription, lineTax, lineLedgerType, lineQuantity
    /// `{line.dimension.CCT}`: the line's dimension of that type, empty when it has none.
    case lineDimension(String)

    static let names: [String: Placeholder] = [
        "site": .site, "entryType": .entryType, "journal": .journal, "accountingDate": .accountingDate,
        "currency": .currency, "description": .description, "reference": .reference,
        "sourceDocument": .sourceDocument, "sourceDate": .sourceDate, "documentType": .documentType,
        "status": .status, "line.number": .lineNumber, "line.site": .lineSite, "line.account": .lineAccount,
        "line.controlAccount": .lineControlAccount, "line.businessPartner": .lineBusinessPartner,
        "line.sign": .lineSign, "line.amount": .lineAmount, "line.debit": .lineDebit, "line.credit": .lineCredit,
        "line.description": .lineDescription, "line.tax": .lineTax, "line.ledgerType": .lineLedgerType,
        "line.quantity": .lineQuantity,
    ]

    /// The placeholder named `name` (the text between the braces), or nil.
    public init?(name: String) {
        if let known = Self.names[name] {
            self = known
        } else if name.hasPrefix("line.dimension."), name.count > 15,
                  name.dropFirst(15).allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            self = .lineDimension(String(name.dropFirst(15)))
        } else {
            return nil
        }
    }

    /// `{line.dimension.<type>}`.
    public var isDimension: Bool {
        if case .lineDimension = self { return true }
        return false
    }

    /// Whether its value depends on the line (a line-level placeholder).
    public var isLineLevel: Bool {
        switch self {
        case .site, .entryType, .journal, .accountingDate, .currency, .description, .reference, .sourceDocument,
             .sourceDate, .documentType, .status:
            false
        default:
            true
        }
    }
}

/// A text of a layout with its placeholders found: `G;{entryType};;{site}` is the literal `G;`,
/// the placeholder `entryType`, the literal `;;`, the placeholder `site`. Read once, when the
/// configuration is loaded; `{{` and `}}` stand for literal braces.
public struct PlaceholderTemplate: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case literal(String)
        case placeholder(Placeholder)
    }

    public let parts: [Part]

    /// Why a text is not a template, and at which character (0-based) of it.
    public struct Failure: Error, Equatable {
        public let offset: Int
        public let message: String
    }

    public init(parts: [Part]) { self.parts = parts }

    public init(_ text: String) throws(Failure) {
        var parts: [Part] = []
        var literal = ""
        var characters = Array(text)[...]
        var offset = 0
        func flush() {
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
        }
        while let character = characters.first {
            if (character == "{" || character == "}"), characters.dropFirst().first == character {
                literal.append(character)
                characters = characters.dropFirst(2)
                offset += 2
                continue
            }
            if character == "}" { throw Failure(offset: offset, message: "a lone \"}\" (write \"}}\" for a brace)") }
            guard character == "{" else {
                literal.append(character)
                characters = characters.dropFirst()
                offset += 1
                continue
            }
            guard let close = characters.firstIndex(of: "}") else {
                throw Failure(offset: offset, message: "\"{\" without its \"}\" (write \"{{\" for a brace)")
            }
            let name = String(characters[characters.index(after: characters.startIndex)..<close])
            guard let placeholder = Placeholder(name: name) else {
                throw Failure(offset: offset, message: "unknown placeholder {\(name)} (SPEC §13.2 lists them: {site}, {accountingDate}, {line.account}, {line.dimension.CCT}, …)")
            }
            flush()
            parts.append(.placeholder(placeholder))
            offset += characters.distance(from: characters.startIndex, to: close) + 1
            characters = characters[characters.index(after: close)...]
        }
        flush()
        self.parts = parts
    }

    /// The placeholders it uses, in order.
    public var placeholders: [Placeholder] {
        parts.compactMap { if case .placeholder(let p) = $0 { p } else { nil } }
    }

    /// The text with each placeholder replaced by `value(placeholder)`.
    public func fill(_ value: (Placeholder) throws(LedgerDropError) -> String) throws(LedgerDropError) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .literal(let literal): text += literal
            case .placeholder(let placeholder): text += try value(placeholder)
            }
        }
        return text
    }

    /// A field of a record: a literal, exactly one placeholder, or a mix (left unchecked).
    public enum Field: Sendable, Equatable {
        case literal(String)
        case placeholder(Placeholder)
        case mixed
    }

    /// The fields of a record template, split at the field separator.
    public func fields(separatedBy separator: Character) -> [Field] {
        var fields: [[Part]] = [[]]
        for part in parts {
            guard case .literal(let text) = part else {
                fields[fields.count - 1].append(part)
                continue
            }
            for (index, piece) in text.split(separator: separator, omittingEmptySubsequences: false).enumerated() {
                if index > 0 { fields.append([]) }
                if !piece.isEmpty { fields[fields.count - 1].append(.literal(String(piece))) }
            }
        }
        return fields.map { parts in
            switch parts.first {
            case nil: .literal("")
            case .literal(let text)? where parts.count == 1: .literal(text)
            case .placeholder(let placeholder)? where parts.count == 1: .placeholder(placeholder)
            default: .mixed
            }
        }
    }
}

extension Placeholder {
    /// How a message names it: `{line.account}`.
    var label: String {
        if case .lineDimension(let type) = self { return "{line.dimension.\(type)}" }
        return "{" + (Self.names.first { $0.value == self }?.key ?? "?") + "}"
    }
}
