import Logging

extension FetchStage {
    /// The policy IDs of `companies:` (`companyPolicies(_:service:logger:)`).
    func companyPolicies() async throws(LedgerDropError) -> [String] {
        try await Self.companyPolicies(companies, service: service, logger: logger)
    }

    /// The policy IDs of `companies:`, with each policy name looked up in Expensify's policy list
    /// (one request, only when names are configured). A name no visible policy has is said in
    /// the log; when no policy at all remains, the fetch is refused rather than asking for every
    /// policy the credentials can see. `reconcile` asks for the same policies.
    static func companyPolicies(_ companies: [Configuration.Company], service: any ExpensifyService, logger: Logger) async throws(LedgerDropError) -> [String] {
        var ids = companies.flatMap(\.policyIDs)
        let names = companies.flatMap { company in company.policyNames.map { (company.name, $0) } }
        if !names.isEmpty {
            let visible = try await service.policies()
            for (company, name) in names {
                if let policy = visible.first(where: { $0.name.lowercased() == name.lowercased() }) {
                    if !ids.contains(policy.id) { ids.append(policy.id) }
                } else {
                    logger.warning("companies.\(company).policyNames: no policy named \"\(name)\" is visible to the Expensify credentials; its reports are not fetched")
                }
            }
        }
        guard !ids.isEmpty else {
            throw LedgerDropError(.configInvalid, "no policy of companies: is visible to the Expensify credentials; check companies.*.policyIDs and policyNames (ledgerdrop check lists the visible ones)")
        }
        return ids
    }
}
