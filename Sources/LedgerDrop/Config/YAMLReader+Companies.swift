import Yams

/// `companies:` (issue 11): one entry per legal entity, each a site and the policies it takes,
/// with overlays over the top-level mapping and offsets.
extension YAMLReader {
    mutating func companies(_ node: Node, over top: Configuration) -> [Configuration.Company] {
        var result: [Configuration.Company] = []
        var policyOwner: [String: String] = [:]
        var siteOwner: [String: String] = [:]
        for (name, key, value) in entries(node, "companies") {
            let at = "companies.\(name)"
            guard ReportID.isPlain(name) else {
                fail(key, "\(at): a company's name is 1 to 20 letters, digits, '_' or '-' (receipts and audit lines carry it)")
                continue
            }
            let f = fields(value, at, known: ["policyIDs", "policyNames", "site", "entryType", "journal", "currencies", "mapping", "offset"])
            var company = Configuration.Company(name: name, site: "", entryType: top.x3.entryType, journal: top.x3.journal,
                                                mapping: top.mapping, offset: top.posting.offset)
            strings(f["policyIDs"], "\(at).policyIDs", into: &company.policyIDs)
            strings(f["policyNames"], "\(at).policyNames", into: &company.policyNames)
            if company.policyIDs.isEmpty, company.policyNames.isEmpty {
                fail(value, "\(at) needs policyIDs or policyNames: the Expensify policies whose reports it takes")
            }
            required(f["site"], "\(at).site", in: value, into: &company.site)
            if f["entryType"] != nil { required(f["entryType"], "\(at).entryType", in: value, into: &company.entryType) }
            string(f["journal"], "\(at).journal", into: &company.journal)
            strings(f["currencies"], "\(at).currencies", into: &company.currencies)
            for code in company.currencies where Currency(code: code) == nil {
                fail(f["currencies"]!, "\(at).currencies: \"\(code)\" is not an ISO 4217 currency with a minor unit")
            }
            if let mapping = f["mapping"] { company.mapping = self.mapping(mapping, over: top.mapping, name: "\(at).mapping") }
            if let offsetNode = f["offset"] {
                let o = fields(offsetNode, "\(at).offset", known: ["reimbursable", "nonReimbursable"])
                company.offset.reimbursable = offset(o["reimbursable"], "\(at).offset.reimbursable", in: offsetNode, over: top.posting.offset.reimbursable)
                company.offset.nonReimbursable = offset(o["nonReimbursable"], "\(at).offset.nonReimbursable", in: offsetNode, over: top.posting.offset.nonReimbursable)
            }
            // Each policy and each site is one company's: a receipt names its company by site.
            for policy in company.policyIDs + company.policyNames.map({ $0.lowercased() }) {
                if let other = policyOwner[policy] {
                    fail(f["policyIDs"] ?? f["policyNames"] ?? value, "\(at): policy \"\(policy)\" is also companies.\(other)'s; a policy belongs to one company")
                }
                policyOwner[policy] = name
            }
            if let other = siteOwner[company.site] {
                fail(f["site"] ?? value, "\(at).site \(company.site) is also companies.\(other)'s; each company posts to its own site")
            }
            siteOwner[company.site] = name
            if !top.expensify.policies.isEmpty, let missing = company.policyIDs.first(where: { !top.expensify.policies.contains($0) }) {
                fail(f["policyIDs"]!, "\(at).policyIDs: \(missing) is not in expensify.policies, so its reports are never fetched; add it there or leave expensify.policies empty")
            }
            result.append(company)
        }
        return result
    }
}
