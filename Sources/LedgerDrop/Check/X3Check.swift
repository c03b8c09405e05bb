/// `ledgerdrop check` for the X3 half (SPEC §11): credentials, reachability, and that every account
/// and dimension the mapping names exists in X3 (GraphQL `x3FinanceData` queries).
public struct X3Check {
    public typealias Finding = CheckFinding

    /// Accounts and (dimension type, dimension) pairs named by the configuration, and by each
    /// company's overlay of it.
    public static func named(in configuration: Configuration) -> (accounts: [String], dimensions: [Dimension]) {
        var accounts = Set<String>()
        var dimensions = Set<String>()
        for view in [configuration] + configuration.companies.map(configuration.applying) {
            let mapping = view.mapping
            accounts.formUnion([view.posting.offset.reimbursable.account, view.posting.offset.nonReimbursable.account])
            accounts.formUnion(mapping.categories.values.map(\.account))
            accounts.formUnion(mapping.taxes.values.map(\.account))
            func add(costCenter: String, _ others: [String: String]) {
                if !costCenter.isEmpty { dimensions.insert("\(mapping.costCenterDimension)\u{1F}\(costCenter)") }
                for (type, value) in others where !value.isEmpty { dimensions.insert("\(type)\u{1F}\(value)") }
            }
            for rule in mapping.categories.values { add(costCenter: rule.costCenter, rule.dimensions) }
            for rule in mapping.tags.values { add(costCenter: rule.costCenter, rule.dimensions) }
            for rule in mapping.employees.values { add(costCenter: rule.costCenter, rule.dimensions) }
            add(costCenter: mapping.defaults.costCenter, mapping.defaults.dimensions)
        }
        let pairs = dimensions.sorted().map { key -> Dimension in
            let parts = key.split(separator: "\u{1F}", maxSplits: 1)
            return Dimension(type: String(parts[0]), value: String(parts[1]))
        }
        return (accounts.filter { !$0.isEmpty }.sorted(), pairs)
    }

    /// Asks X3 about each named account and dimension. Throws a systemic error when X3 cannot be
    /// reached or refuses the credentials.
    public static func run(_ configuration: Configuration, connection: X3Connection) async throws(LedgerDropError) -> [Finding] {
        var findings = [Finding(ok: true, text: "configuration is valid"), Finding(ok: true, text: "credentials for x3.auth \(configuration.x3.auth.rawValue) are set")]
        let transport = connection.transport
        for publication in try await transport.checkPublication() { findings.append(Finding(ok: publication.ok, text: publication.text)) }
        guard transport.checksMasterData else {
            // The web-service route: a query proves reachability and credentials.
            let probe = try PayloadFile.probe()
            do { _ = try await transport.lookup(probe) } catch {
                if case .systemic(let error) = error.outcome { throw error }
            }
            findings.append(Finding(ok: true, text: "X3 answers at \(configuration.x3.url)"))
            findings.append(Finding(ok: true, text: "accounts, cost centers, business partners and control accounts are not checked on the SOAP route (it reads no master data); check them in X3"))
            return findings
        }
        let named = named(in: configuration)
        var first = true
        for account in named.accounts {
            let found = try await !transport.masterData(MasterDataQuestion(node: "account", filter: "{code: '\(quoted(account))'}")).isEmpty
            if first { findings.append(Finding(ok: true, text: "X3 answers at \(configuration.x3.url)")); first = false }
            findings.append(Finding(ok: found, text: found ? "account \(account) exists" : "account \(account) is not in X3"))
        }
        for dimension in named.dimensions {
            let question = MasterDataQuestion(node: "dimension", filter: "{dimensionType: {_id: '\(quoted(dimension.type))'}, dimension: '\(quoted(dimension.value))'}")
            let found = try await !transport.masterData(question).isEmpty
            findings.append(Finding(ok: found, text: found ? "\(dimension.type) \(dimension.value) exists" : "\(dimension.type) \(dimension.value) is not in X3"))
        }
        return findings + (try await checkPartners(configuration, transport: transport))
    }

    static func quoted(_ text: String) -> String { GraphQLTransport.quotedInFilter(text) }
}

extension PayloadFile {
    /// A payload that exists nowhere, for a lookup that only proves X3 answers.
    package static func probe() throws(LedgerDropError) -> PayloadFile {
        PayloadFile(fileName: "ledgerdrop-check.xml", format: .xml, bytes: [], entryKey: "ledgerdrop-check", entryType: "",
                    reference: "LEDGERDROP-CHECK", accountingDate: Day("2000-01-01")!, currency: "", lineCount: 0, total: "0")
    }
}
