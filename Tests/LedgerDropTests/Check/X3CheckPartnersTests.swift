import Testing
@testable import LedgerDrop

/// What `check` asks about business partners and control accounts, and how it judges X3's
/// answers (SPEC §13.4).
@Suite("check: business partners and control accounts")
struct X3CheckPartnersTests {
    static let configuration = try! ConfigurationLoader(file: "ledgerdrop.yml").parse("""
        x3: { site: FR011, entryType: ODT }
        posting:
          offset:
            reimbursable: { account: "421000", businessPartner: "{employee}", controlAccount: EMP }
            nonReimbursable: { account: "467100" }
        mapping:
          employees:
            jane.doe@acme.example: { businessPartner: EMP0042 }
        companies:
          US:
            policyIDs: [P1]
            site: US011
            mapping:
              employees:
                sam.jones@acme.example: { businessPartner: EMPUS01 }
            offset:
              reimbursable: { account: "421100", controlAccount: EMU }
              nonReimbursable: { account: "467100", businessPartner: CARDCO }

        """)

    @Test func everyCompanysPartnersAndOffsetsAreAsked() {
        let partners = X3Check.partners(in: Self.configuration)
        #expect(partners.map(\.code) == ["CARDCO", "EMP0042", "EMPUS01"])
        #expect(partners.first { $0.code == "EMPUS01" }?.setting == "companies.US.mapping.employees.sam.jones@acme.example")
        #expect(X3Check.offsets(in: Self.configuration) == [
            .init(setting: "posting.offset.reimbursable", account: "421000", controlAccount: "EMP", carriesPartner: true),
            .init(setting: "posting.offset.nonReimbursable", account: "467100", controlAccount: "", carriesPartner: false),
            .init(setting: "companies.US.offset.reimbursable", account: "421100", controlAccount: "EMU", carriesPartner: true),
            .init(setting: "companies.US.offset.nonReimbursable", account: "467100", controlAccount: "", carriesPartner: true),
        ])
    }

    @Test(arguments: [
        (name: "a payable with its code", partner: true, code: "EMP", inX3: ["EMP"], ok: true),
        (name: "a payable without a configured code", partner: true, code: "", inX3: ["EMP"], ok: true),
        (name: "a payable with another account's code", partner: true, code: "EMU", inX3: ["EMP"], ok: false),
        (name: "a partner on an ordinary account", partner: true, code: "", inX3: [], ok: false),
        (name: "a code on an ordinary account", partner: false, code: "EMP", inX3: [], ok: false),
        (name: "a card account that is not collective", partner: false, code: "", inX3: [], ok: true),
        (name: "a collective account without a partner", partner: false, code: "", inX3: ["CRD"], ok: false),
    ])
    func theOffsetsRoleInX3FitsItsUse(_ example: (name: String, partner: Bool, code: String, inX3: [String], ok: Bool)) {
        let use = X3Check.OffsetUse(setting: "posting.offset.reimbursable", account: "421000", controlAccount: example.code, carriesPartner: example.partner)
        #expect(X3Check.controlFinding(use, codes: example.inX3).ok == example.ok, "\(example.name)")
    }
}
