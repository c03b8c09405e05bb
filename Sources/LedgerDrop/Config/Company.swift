/// One legal entity of `companies:` (issue 11): the Expensify policies whose reports it takes,
/// the X3 site, entry type and journal they post to, the currencies it expects, and its mapping
/// and offsets — the top-level ones with the company's overlay read over them.
extension Configuration {
    public struct Company: Sendable {
        /// The key under `companies:`, as receipts, audit lines, `status` and `audit` name it.
        public var name: String
        /// Expensify policy IDs, matched exactly, and policy names, matched ignoring case.
        public var policyIDs: [String] = []
        public var policyNames: [String] = []
        public var site: String
        public var entryType: String
        public var journal: String
        /// The entry currencies the company takes; empty: any.
        public var currencies: [String] = []
        /// The effective mapping and offsets (top level, then the company's overlay).
        public var mapping: Mapping
        public var offset: Offsets

        /// Whether a report of this policy belongs to the company.
        public func takes(policyID: String, policyName: String) -> Bool {
            if !policyID.isEmpty, policyIDs.contains(policyID) { return true }
            let name = policyName.lowercased()
            return !name.isEmpty && policyNames.contains { $0.lowercased() == name }
        }
    }

    /// The company whose policies include the report's; nil when none does (or there are none).
    public func company(for report: Report) -> Company? {
        companies.first { $0.takes(policyID: report.policyID, policyName: report.policyName) }
    }

    /// The company posting to `site` (sites are one company's each); nil without `companies:`.
    public func company(site: String) -> Company? {
        companies.first { $0.site == site }
    }

    /// This configuration as one company sees it: its site, entry type, journal, mapping and
    /// offsets in place of the top-level ones; everything else shared.
    public func applying(_ company: Company) -> Configuration {
        var c = self
        c.x3.site = company.site
        c.x3.entryType = company.entryType
        c.x3.journal = company.journal
        c.mapping = company.mapping
        c.posting.offset = company.offset
        c.companies = []
        return c
    }
}
