/// `ledgerdrop check` for the Expensify half (SPEC §11): the partner credentials work (a policy
/// list, SPEC §7.2 step 3) and every policy in `expensify.policies` is visible to them.
public enum ExpensifyCheck {
    public static func run(_ configuration: Configuration, service: any ExpensifyService) async throws(LedgerDropError) -> [CheckFinding] {
        let policies = try await service.policies()
        var findings = [CheckFinding(ok: true, text: "Expensify accepts the partner credentials at \(configuration.expensify.url) (\(policies.count) polic\(policies.count == 1 ? "y" : "ies") visible)")]
        let visible = Set(policies.map(\.id))
        for id in configuration.expensify.policies {
            let name = policies.first { $0.id == id }?.name
            findings.append(CheckFinding(ok: visible.contains(id), text: "Expensify policy \(id)" + (name.map { " (\($0))" } ?? " is not visible to these credentials")))
        }
        if configuration.expensify.policies.isEmpty {
            findings.append(CheckFinding(ok: true, text: "expensify.policies is empty: every policy the credentials can see is fetched"))
        }
        return findings
    }
}
