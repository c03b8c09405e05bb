import Testing
@testable import LedgerDrop

@Suite("companies: several legal entities (issue 11)")
struct CompaniesConfigurationTests {
    func load(_ text: String) throws(LedgerDropError) -> Configuration {
        try ConfigurationLoader(file: "ledgerdrop.yml").parse(text)
    }

    static let base = """
        x3: { site: FR011, entryType: ODT, journal: OD }
        posting:
          offset:
            reimbursable: { account: "421000", businessPartner: "{employee}", controlAccount: EMP }
            nonReimbursable: { account: "467100" }
        mapping:
          categories:
            Meals: { account: "625700" }
            Hotel: { account: "625600", costCenter: SALES }
          employees:
            jane.doe@acme.example: { businessPartner: EMP0042 }

        """

    @Test func aCompanyOverlaysTheTopLevelAndKeepsTheRest() throws {
        let c = try load(Self.base + """
            companies:
              FR:
                policyIDs: [F0D3B1A2C4E5F607]
                site: FR011
              US:
                policyNames: ["Acme US"]
                site: US011
                entryType: USODT
                currencies: [USD]
                mapping:
                  categories:
                    Meals: { account: "625710", costCenter: SALES }
                  employees:
                    sam.jones@acme.example: { businessPartner: EMPUS01 }
                offset:
                  reimbursable: { account: "421100", controlAccount: EMU }
            """)
        #expect(c.companies.map(\.name) == ["FR", "US"])
        let fr = c.companies[0], us = c.companies[1]
        #expect(fr.entryType == "ODT" && fr.journal == "OD" && fr.mapping.categories["Meals"]?.account == "625700")
        #expect(us.site == "US011" && us.entryType == "USODT" && us.journal == "OD" && us.currencies == ["USD"])
        // Overlaid per category and per employee; the others from the top level.
        #expect(us.mapping.categories["Meals"]?.account == "625710" && us.mapping.categories["Hotel"]?.account == "625600")
        #expect(us.mapping.employees["sam.jones@acme.example"]?.businessPartner == "EMPUS01" && us.mapping.employees["jane.doe@acme.example"] != nil)
        // Per key of an offset: the account and code replaced, the business partner kept.
        #expect(us.offset.reimbursable.account == "421100" && us.offset.reimbursable.controlAccount == "EMU" && us.offset.reimbursable.businessPartner == "{employee}")
        #expect(us.offset.nonReimbursable.account == "467100")
        // A report goes by policy ID, or by name ignoring case; the view of one company.
        func report(_ id: String, _ name: String) -> Report {
            Report(reportID: "R", reportName: "", status: "", policyID: id, policyName: name, currency: "USD", total: nil, created: "", submitted: "", approved: "",
                   accountEmail: "", submitterPayrollID: "", submitterName: "", managerEmail: "", transactions: [])
        }
        #expect(c.company(for: report("F0D3B1A2C4E5F607", ""))?.name == "FR")
        #expect(c.company(for: report("ANY", "acme us"))?.name == "US")
        #expect(c.company(for: report("OTHER", "Acme Asia")) == nil)
        let view = c.applying(us)
        #expect(view.x3.site == "US011" && view.x3.entryType == "USODT" && view.posting.offset.reimbursable.account == "421100" && view.companies.isEmpty)
        #expect(c.company(site: "US011")?.name == "US")
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let companies: String, words: String
        var testDescription: String { words }
    }

    static let misconfigurations: [Bad] = [
        .init(companies: "  US: { site: US011 }\n", words: "companies.US needs policyIDs or policyNames"),
        .init(companies: "  US: { policyIDs: [P1] }\n", words: "missing required value companies.US.site"),
        .init(companies: "  US: { policyIDs: [P1], site: US011 }\n  CA: { policyIDs: [P1], site: CA011 }\n", words: "policy \"P1\" is also companies.US's"),
        .init(companies: "  US: { policyNames: [Acme], site: US011 }\n  CA: { policyNames: [ACME], site: CA011 }\n", words: "policy \"acme\" is also companies.US's"),
        .init(companies: "  US: { policyIDs: [P1], site: X1 }\n  CA: { policyIDs: [P2], site: X1 }\n", words: "companies.CA.site X1 is also companies.US's"),
        .init(companies: "  US: { policyIDs: [P1], site: US011, currencies: [XAU] }\n", words: "\"XAU\" is not an ISO 4217 currency"),
        .init(companies: "  US: { policyIDs: [P1], site: US011, sites: [A] }\n", words: "unknown key \"sites\" in companies.US"),
        .init(companies: "  US: { policyIDs: [P1], site: US011, mapping: { categories: { Meals: { acount: \"1\" } } } }\n", words: "unknown key \"acount\" in companies.US.mapping.categories.Meals"),
        .init(companies: "  \"U S\": { policyIDs: [P1], site: US011 }\n", words: "a company's name is 1 to 20 letters"),
    ]

    @Test(arguments: misconfigurations)
    func misconfiguredCompaniesAreRefusedWithTheirPlace(_ bad: Bad) {
        #expect {
            try load(Self.base + "companies:\n" + bad.companies)
        } throws: { error in
            guard let error = error as? LedgerDropError, error.code == .configInvalid else { return false }
            return (error.problems.map(\.message) + [error.message]).contains { $0.contains("ledgerdrop.yml:") && $0.contains(bad.words) }
        }
    }

    @Test func aCompanyPolicyMustBeFetched() {
        #expect {
            try load(Self.base + "expensify: { policies: [P2] }\ncompanies:\n  US: { policyIDs: [P1], site: US011 }\n")
        } throws: { error in
            (error as? LedgerDropError)?.problems.contains { $0.message.contains("P1 is not in expensify.policies") } == true
        }
    }
}
