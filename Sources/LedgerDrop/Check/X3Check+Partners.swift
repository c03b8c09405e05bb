/// `check`'s questions about business partners and control accounts (SPEC §13.4): every mapped
/// employee exists as a BP in X3, and each offset is a control (collective) account exactly when
/// it carries a business partner, with the control-account code the configuration gives.
extension X3Check {
    /// An offset as the configuration uses it, named where it is configured.
    struct OffsetUse: Equatable {
        var setting: String
        var account: String
        var controlAccount: String
        /// Its lines carry a business partner (a literal one or a placeholder such as `{employee}`).
        var carriesPartner: Bool
    }

    /// The business partners the configuration names (employees', and literal offset partners),
    /// each with the first setting that names it.
    static func partners(in configuration: Configuration) -> [(code: String, setting: String)] {
        var found: [String: String] = [:]
        for (prefix, view) in views(of: configuration) {
            for (email, rule) in view.mapping.employees where !rule.businessPartner.isEmpty {
                found[rule.businessPartner] = found[rule.businessPartner] ?? "\(prefix)mapping.employees.\(email)"
            }
            for (name, offset) in [("reimbursable", view.posting.offset.reimbursable), ("nonReimbursable", view.posting.offset.nonReimbursable)]
            where !offset.businessPartner.isEmpty && !offset.businessPartner.contains("{") {
                found[offset.businessPartner] = found[offset.businessPartner] ?? "\(prefix)offset.\(name).businessPartner"
            }
        }
        return found.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Each distinct use of an offset account, top level and companies.
    static func offsets(in configuration: Configuration) -> [OffsetUse] {
        var uses: [OffsetUse] = []
        for (prefix, view) in views(of: configuration) {
            for (name, offset) in [("reimbursable", view.posting.offset.reimbursable), ("nonReimbursable", view.posting.offset.nonReimbursable)] where !offset.account.isEmpty {
                let use = OffsetUse(setting: "\(prefix.isEmpty ? "posting." : prefix)offset.\(name)", account: offset.account,
                                    controlAccount: offset.controlAccount, carriesPartner: !offset.businessPartner.isEmpty)
                if !uses.contains(where: { $0.account == use.account && $0.controlAccount == use.controlAccount && $0.carriesPartner == use.carriesPartner }) {
                    uses.append(use)
                }
            }
        }
        return uses
    }

    /// The top level (prefix "") and each company as it sees the configuration ("companies.US.").
    static func views(of configuration: Configuration) -> [(prefix: String, view: Configuration)] {
        [("", configuration)] + configuration.companies.map { ("companies.\($0.name).", configuration.applying($0)) }
    }

    static func checkPartners(_ configuration: Configuration, transport: any X3Transport) async throws(LedgerDropError) -> [Finding] {
        var findings: [Finding] = []
        asking: for (code, setting) in partners(in: configuration) {
            let question = MasterDataQuestion(package: "x3MasterData", node: "businessPartner", filter: "{code: '\(quoted(code))'}", selection: "code")
            do {
                let found = try await !transport.masterData(question).isEmpty
                findings.append(Finding(ok: found, text: found ? "business partner \(code) exists" : "business partner \(code) (\(setting)) is not in X3: create the employee as a BP, or correct the mapping"))
            } catch where error.code == .x3Rejected {
                findings.append(Finding(ok: true, text: "business partners not checked: \(error.message); give the user read access to x3MasterData.businessPartner, or check them in X3 (GESBPR)"))
                break asking
            }
        }
        for use in offsets(in: configuration) {
            let question = MasterDataQuestion(node: "controlAccount", filter: "{account: {code: '\(quoted(use.account))'}}", selection: "code account { code }")
            let codes: [String]
            do {
                codes = try await transport.masterData(question).compactMap { if case .string(let code)? = $0["code"] { code } else { nil } }
            } catch where error.code == .x3Rejected {
                findings.append(Finding(ok: true, text: "control accounts not checked: \(error.message); check \(use.account) in X3's control accounts (GESSAC) by hand"))
                break
            }
            findings.append(controlFinding(use, codes: codes))
        }
        return findings
    }

    /// Whether an offset account's role in X3 (collective or not, and its control-account
    /// codes) fits how the configuration uses it.
    static func controlFinding(_ use: OffsetUse, codes: [String]) -> Finding {
        let listed = codes.joined(separator: ", ")
        switch (use.carriesPartner || !use.controlAccount.isEmpty, codes.isEmpty) {
        case (true, true):
            return Finding(ok: false, text: "\(use.account) (\(use.setting)) is not a control account in X3, but its lines carry a business partner: an employee's open item belongs on a collective account (GESSAC)")
        case (true, false) where !use.controlAccount.isEmpty && !codes.contains(use.controlAccount):
            return Finding(ok: false, text: "\(use.account) (\(use.setting)) is the control account of \(listed) in X3, not of \(use.controlAccount): set \(use.setting).controlAccount to one of them")
        case (true, false):
            return Finding(ok: true, text: "\(use.account) (\(use.setting)) is a control account (\(use.controlAccount.isEmpty ? listed : use.controlAccount))")
        case (false, false):
            return Finding(ok: false, text: "\(use.account) (\(use.setting)) is a control account in X3 (\(listed)): its lines need a business partner and its control-account code; set \(use.setting).businessPartner and .controlAccount, or use another account")
        case (false, true):
            return Finding(ok: true, text: "\(use.account) (\(use.setting)) is not a control account, and its lines carry no business partner")
        }
    }
}
