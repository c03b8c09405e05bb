/// Several companies (issue 11): a report goes to the company whose policies include its own,
/// and is converted with that company's configuration; a report of no company's policy is
/// `UNMAPPED_POLICY`, and entries in a currency the company does not take are refused.
extension Converter {
    func convertForCompany(_ report: Report, at path: String) -> Outcome {
        guard let company = configuration.company(for: report), let converter = companyConverters[company.name] else {
            let policy = [report.policyID, report.policyName.isEmpty ? "" : "\"\(report.policyName)\""].filter { !$0.isEmpty }.joined(separator: " ")
            let known = configuration.companies.map(\.name).joined(separator: ", ")
            return Outcome(entries: [], problems: [Problem(.unmappedPolicy, "policy \(policy.isEmpty ? "(none given)" : policy) is not one of a company's under companies: (\(known))", path: "\(path).policyID")])
        }
        var outcome = converter.convert(report, at: path)
        let currencies = Set(outcome.entries.map(\.currency.code)).sorted()
        if !company.currencies.isEmpty, let foreign = currencies.first(where: { !company.currencies.contains($0) }) {
            let message = "companies.\(company.name) takes entries in \(company.currencies.joined(separator: ", ")), not \(foreign): "
                + "the report belongs to another company's policy, or add \(foreign) to companies.\(company.name).currencies"
            return Outcome(entries: [], problems: [Problem(.invalidReport, message, path: "\(path).currency")], warnings: outcome.warnings)
        }
        for index in outcome.entries.indices { outcome.entries[index].company = company.name }
        return outcome
    }
}
