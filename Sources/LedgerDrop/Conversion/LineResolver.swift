/// The mapping rules of SPEC §5.2–§5.4 and §5.7 for one report: which account, which
/// dimensions, which tax account, which business partner, which text.
struct LineResolver {
    let mapping: Configuration.Mapping
    let report: Report
    /// The submitter's mapping, looked up once per report.
    let employee: Configuration.EmployeeRule?

    init(mapping: Configuration.Mapping, report: Report) {
        self.mapping = mapping
        self.report = report
        self.employee = mapping.employees[report.accountEmail.lowercased()]
    }

    /// `mapping.categories[category].account`, else the category's Expensify GL code when
    /// `useExpensifyGLCodes`, else nil (`UNMAPPED_CATEGORY`).
    func account(for expense: Expense) -> String? {
        if let rule = mapping.categories[expense.category], !rule.account.isEmpty { return rule.account }
        if mapping.useExpensifyGLCodes, !expense.categoryGlCode.isEmpty { return expense.categoryGlCode }
        return nil
    }

    /// The recoverable-tax rule for the expense's tax code, else its tax name.
    func taxRule(for expense: Expense) -> Configuration.TaxRule? {
        if !expense.taxCode.isEmpty, let rule = mapping.taxes[expense.taxCode] { return rule }
        if !expense.taxName.isEmpty, let rule = mapping.taxes[expense.taxName] { return rule }
        return nil
    }

    /// For each dimension type, the first non-empty value of: the tag's mapping, a comment
    /// pattern, the category's mapping, the employee's mapping, the defaults.
    func dimensions(for expense: Expense) -> [Dimension] {
        // A handful of dimension types: a list is cheaper than a dictionary here.
        var chosen: [Dimension] = []
        func isChosen(_ type: String) -> Bool { chosen.contains { $0.type == type } }
        func offer(_ type: String, _ value: String) {
            if !type.isEmpty, !value.isEmpty, !isChosen(type) { chosen.append(Dimension(type: type, value: value)) }
        }
        func offer(costCenter: String, dimensions: [String: String]) {
            offer(mapping.costCenterDimension, costCenter)
            if dimensions.isEmpty { return }
            for (type, value) in dimensions.sorted(by: { $0.key < $1.key }) { offer(type, value) }
        }
        if !expense.tag.isEmpty, let rule = mapping.tags[expense.tag] {
            offer(costCenter: rule.costCenter, dimensions: rule.dimensions)
        }
        if !expense.comment.isEmpty {
            for pattern in mapping.commentPatterns where !isChosen(pattern.dimension) {
                if let match = try? pattern.regex.firstMatch(in: expense.comment) {
                    offer(pattern.dimension, String(expense.comment[match.range]))
                }
            }
        }
        if let rule = mapping.categories[expense.category] {
            offer(costCenter: rule.costCenter, dimensions: rule.dimensions)
        }
        if let rule = employee {
            offer(costCenter: rule.costCenter, dimensions: rule.dimensions)
        }
        offer(costCenter: mapping.defaults.costCenter, dimensions: mapping.defaults.dimensions)
        return chosen.count < 2 ? chosen : chosen.sorted { $0.type < $1.type }
    }

    /// The tax code of an expense line (and its tax line): the tax mapping's code, else the
    /// account's default (`mapping.accountTaxCodes`).
    func taxCode(rule: Configuration.TaxRule?, account: String?) -> String {
        if let code = rule?.code, !code.isEmpty { return code }
        guard let account, !mapping.accountTaxCodes.isEmpty else { return "" }
        return mapping.accountTaxCodes[account] ?? ""
    }

    /// `{employee}` in an offset's business partner: the mapped X3 partner, else (with
    /// `mapping.employeeFallback: payrollID`) the payroll ID.
    func businessPartner(_ template: DescriptionTemplate) -> String {
        let partner = template.fill { placeholder in
            guard placeholder == .employee else { return "" }
            return mappedPartner ?? ""
        }
        return cut(partner, to: 15)
    }

    /// The employee's X3 business partner, nil when there is none to write.
    var mappedPartner: String? {
        if let mapped = employee?.businessPartner, !mapped.isEmpty { return mapped }
        if mapping.employeeFallback == .payrollID, !report.submitterPayrollID.isEmpty { return report.submitterPayrollID }
        return nil
    }

    /// `UNMAPPED_EMPLOYEE` (SPEC §13.4) when an offset that gets a line names `{employee}` as its
    /// business partner and the employee has none: never a payroll ID X3 does not know.
    /// - Parameter owed: which offsets (reimbursable or not) get a line.
    func unmappedEmployee(offsets: Configuration.Offsets, templates: [DescriptionTemplate], owed: Set<Bool>, at path: String) -> [Problem] {
        guard mappedPartner == nil else { return [] }
        for (index, isReimbursable) in [true, false].enumerated() where owed.contains(isReimbursable) {
            guard templates[index].segments.contains(.value(.employee)) else { continue }
            let name = isReimbursable ? "reimbursable" : "nonReimbursable"
            let email = report.accountEmail.isEmpty ? "(no accountEmail)" : report.accountEmail
            return [Problem(.unmappedEmployee, "employee \(email) has no businessPartner in mapping.employees, and posting.offset.\(name) (\(isReimbursable ? offsets.reimbursable.account : offsets.nonReimbursable.account)) needs their X3 business partner"
                            + (mapping.employeeFallback == .payrollID ? " (mapping.employeeFallback is payrollID, but the report has no submitterPayrollID)" : ""), path: "\(path).accountEmail")]
        }
        return []
    }

    /// Fills a description template and cuts it to X3's field length: one line of printable
    /// text, never empty (`fallback` instead). `keeping`: text that must survive the cut whole
    /// when the template holds it (the report ID of an offset line); if the cut would split it,
    /// the description is that text alone.
    func describe(_ template: DescriptionTemplate, expense: Expense, maxLength: Int, fallback: String, keeping: String? = nil) -> String {
        var text = template.fill { placeholder in
            switch placeholder {
            case .reportID: report.reportID
            case .reportName: report.reportName
            case .merchant: expense.merchantName
            case .category: expense.category
            case .comment: expense.comment
            case .employee: report.employeeDisplayName
            }
        }
        let plainASCII = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if !plainASCII, text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0.properties.isWhitespace && $0 != " " }) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F || $0.properties.isWhitespace ? " " : $0 }))
            text = text.split(separator: " ").joined(separator: " ")
        }
        text = text.trimmingSpaces
        if text.isEmpty { text = fallback }
        let short = cut(text, to: maxLength)
        if let keeping, !keeping.isEmpty, text.contains(keeping), !short.contains(keeping) { return cut(keeping, to: maxLength) }
        return short
    }

    /// The longest prefix of whole characters holding at most `limit` Unicode scalars, so
    /// that no character is ever split (X3 counts characters, SPEC §5.7).
    func cut(_ text: String, to limit: Int) -> String {
        // Scalars never outnumber UTF-8 bytes: short text needs no counting.
        if text.utf8.count <= limit { return text }
        var count = 0
        var end = text.startIndex
        for index in text.indices {
            let scalars = text[index].unicodeScalars.count
            if count + scalars > limit { return String(text[..<index]).trimmingSpaces }
            count += scalars
            end = text.index(after: index)
        }
        return String(text[..<end])
    }
}

extension String {
    var trimmingSpaces: String {
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
