/// `x3.soap.layout` (SPEC §13.2): the object XML of the customer's GAS publication — its header
/// groups and their fields, the line table and its fields, and the positional dimension columns
/// (`CCE1` → `CCT`, as the entry transaction fixes them, GESGDE). Every value is a literal or
/// placeholders of the one vocabulary; `XMLPayload` is the one engine that fills it.
public struct SOAPLayout: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: PlaceholderTemplate
        public init(_ name: String, _ value: PlaceholderTemplate) {
            self.name = name
            self.value = value
        }

        /// The placeholder this field holds alone (`{accountingDate}`), or nil.
        public var placeholder: Placeholder? {
            if value.parts.count == 1, case .placeholder(let p) = value.parts[0] { return p }
            return nil
        }
    }

    public struct Group: Sendable, Equatable {
        public var id: String
        public var fields: [Field]
    }

    /// A line-table column that holds the line's dimension of one type.
    public struct DimensionColumn: Sendable, Equatable {
        public var column: String
        public var type: String
    }

    public var groups: [Group]
    public var table: String
    public var lines: [Field]
    public var dimensions: [DimensionColumn]

    /// SPEC §13.2's defaults: the groups of the entry transaction's screens, amounts in DEB or CDT.
    public static let standard: SOAPLayout = {
        func fields(_ pairs: [(String, String)]) -> [Field] { pairs.map { Field($0.0, try! PlaceholderTemplate($0.1)) } }
        return SOAPLayout(
            groups: [
                Group(id: "HAE0_1", fields: fields([("FCY", "{site}"), ("TYP", "{entryType}"), ("NUM", ""), ("ACCDAT", "{accountingDate}")])),
                Group(id: "HAE0_2", fields: fields([("JOU", "{journal}"), ("CAT", "1"), ("STA", "{status}")])),
                Group(id: "HAE1_1", fields: fields([("DESVCR", "{description}")])),
                Group(id: "HAE1_3", fields: fields([("BPRVCR", "{sourceDocument}"), ("BPRDATVCR", "{sourceDate}")])),
                Group(id: "HAE1_5", fields: fields([("RATDAT", "{accountingDate}"), ("CUR", "{currency}")])),
            ],
            table: "HAE2_1",
            lines: fields([
                ("FCYLIN", "{line.site}"), ("ACC1", "{line.account}"), ("BPR", "{line.businessPartner}"), ("DEB", "{line.debit}"),
                ("CDT", "{line.credit}"), ("DES", "{line.description}"), ("TAX", "{line.tax}"),
            ]),
            dimensions: [DimensionColumn(column: "CCE1", type: "CCT"), DimensionColumn(column: "CCE2", type: "PRJ")])
    }()

    /// The header field that holds `placeholder` alone, first in group order.
    public func headerField(_ placeholder: Placeholder) -> String? {
        for group in groups { if let field = group.fields.first(where: { $0.placeholder == placeholder }) { return field.name } }
        return nil
    }

    /// The line field that holds `placeholder` alone.
    public func lineField(_ placeholder: Placeholder) -> String? {
        lines.first { $0.placeholder == placeholder }?.name
    }

    /// The header field that carries the report ID (`{reference}`, else `{sourceDocument}`): the
    /// key of the reference lookup.
    public var referenceField: String? { headerField(.reference) ?? headerField(.sourceDocument) }

    /// What the layout lacks for ledgerdrop to read its own payloads back and find them again:
    /// empty when it is usable. Each item says what to add.
    public var missing: [String] {
        var missing: [String] = []
        if headerField(.accountingDate) == nil { missing.append("a header field holding {accountingDate}") }
        if headerField(.currency) == nil { missing.append("a header field holding {currency}") }
        if referenceField == nil { missing.append("a header field holding {reference} or {sourceDocument} (the report ID)") }
        if lineField(.lineAccount) == nil { missing.append("a line field holding {line.account}") }
        let debitCredit = lineField(.lineDebit) != nil && lineField(.lineCredit) != nil
        let signAmount = lineField(.lineSign) != nil && lineField(.lineAmount) != nil
        if !debitCredit && !signAmount { missing.append("line fields holding {line.debit} and {line.credit} (or {line.sign} and {line.amount})") }
        return missing
    }
}
