#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LedgerDrop

/// Everything the X3 sandbox knows: master data, the ledger of posted entries (kept in a JSON
/// file), issued OAuth2 tokens and the fault plan.
public actor X3SandboxState {
    public private(set) var master: X3MasterData
    public private(set) var ledger: [X3LedgerEntry] = [] { didSet { positions = nil } }
    /// Entry number → place in `ledger`, built when first asked after a change.
    private var positions: [String: Int]? = nil
    public var faults = SandboxFaults.none
    let ledgerFile: String?
    var sequence: [String: Int] = [:]
    var tokens: [String: Date] = [:]
    var attemptsByReference: [String: Int] = [:]
    public private(set) var requests = 0
    /// Entries being written (`faults.writeMilliseconds`) right now.
    public private(set) var writing = 0

    public init(master: X3MasterData, ledgerFile: String?) {
        self.master = master
        self.ledgerFile = ledgerFile
        if let ledgerFile, let data = FileManager.default.contents(atPath: ledgerFile),
           let entries = try? JSONDecoder().decode([X3LedgerEntry].self, from: data) {
            ledger = entries
        }
    }

    public func setFaults(_ faults: SandboxFaults) { self.faults = faults }
    public func addAccount(_ account: String) { if !master.accounts.contains(account) { master.accounts.append(account) } }
    func countRequest() { requests += 1 }

    /// The fault for this post, if any.
    func fault(for reference: String) -> SandboxFaults.Kind? {
        attemptsByReference[reference, default: 0] += 1
        if faults.onlyFirstAttempt, attemptsByReference[reference]! > 1 { return nil }
        return faults.pick()
    }

    /// Writes an entry as X3 would, after `faults.writeMilliseconds` — which run to their end
    /// even when the client is gone meanwhile (a detached wait, which its cancellation does not cut).
    func create(_ entry: X3LedgerEntry, totals: (debit: ExactDecimal, credit: ExactDecimal)) async -> Result<X3LedgerEntry, X3Diagnoses> {
        if let write = faults.writeMilliseconds, write > 0 {
            writing += 1
            await Task.detached { try? await Task.sleep(for: .milliseconds(write)) }.value
            writing -= 1
        }
        return check(entry, totals: totals)
    }

    /// X3's checks, in X3's words: missing account or dimension, closed period, unbalanced entry.
    private func check(_ entry: X3LedgerEntry, totals: (debit: ExactDecimal, credit: ExactDecimal)) -> Result<X3LedgerEntry, X3Diagnoses> {
        var diagnoses: [X3Diagnoses.Diagnosis] = []
        if let sites = master.sites, !sites.contains(entry.site) {
            diagnoses.append(.init(message: "Site \(entry.site): Record does not exist", path: ["site"]))
        }
        for (index, line) in entry.lines.enumerated() {
            if !master.accounts.contains(line.account) {
                diagnoses.append(.init(message: "Account \(line.account): Record does not exist", path: ["lines", "\(index)", "account"]))
            }
            for (type, value) in line.dimensions.sorted(by: { $0.key < $1.key }) where !(master.dimensions[type] ?? []).contains(value) {
                diagnoses.append(.init(message: "Dimension \(type) \(value): Record does not exist", path: ["lines", "\(index)", "dimensions"]))
            }
            diagnoses += accountingRules(line).map { .init(message: $0, path: ["lines", "\(index)"]) }
        }
        if let period = master.periods.first(where: { $0.from <= entry.accountingDate && entry.accountingDate <= $0.to }) {
            if !period.open { diagnoses.append(.init(message: "Accounting date \(entry.accountingDate): period \(period.from) to \(period.to) closed", path: ["accountingDate"])) }
        } else {
            diagnoses.append(.init(message: "Accounting date \(entry.accountingDate): period does not exist", path: ["accountingDate"]))
        }
        if !totals.debit.isEqual(to: totals.credit) {
            diagnoses.append(.init(message: "Entry unbalanced: debit \(totals.debit) credit \(totals.credit)", path: ["lines"]))
        }
        if !diagnoses.isEmpty { return .failure(X3Diagnoses(diagnoses: diagnoses)) }
        let year = String(entry.accountingDate.prefix(4))
        let series = "\(entry.entryType)-\(entry.site)-\(year)"
        // Counted from the ledger once per series (a ledger read from its file), then kept.
        sequence[series] = (sequence[series] ?? ledger.filter { $0.entryNumber.hasPrefix(series + "-") }.count) + 1
        var posted = entry
        posted.entryNumber = "\(series)-\(DecimalDigits.padded(sequence[series]!, width: 6))"
        ledger.append(posted)
        persist()
        return .success(posted)
    }

    /// SPEC §13.4 in X3's words: a collective account needs a known business partner (and, in
    /// import records, its control-account code); an account subject to tax needs a tax code.
    func accountingRules(_ line: X3LedgerEntry.Line) -> [String] {
        var refusals: [String] = []
        let controls = master.controlAccounts ?? [:]
        if let (code, _) = controls.first(where: { $0.value == line.account }) {
            let partners = master.businessPartners ?? [:]
            if line.businessPartner.isEmpty {
                refusals.append("Account \(line.account): collective account, business partner mandatory")
            } else if partners[line.businessPartner] == nil {
                refusals.append("Business partner \(line.businessPartner): Record does not exist")
            }
            if let given = line.controlAccount {
                if given.isEmpty {
                    refusals.append("Control account: mandatory field for collective account \(line.account) (expected \(code))")
                } else if controls[given] == nil {
                    refusals.append("Control account \(given): Record does not exist")
                } else if given != code || (partners[line.businessPartner].map { $0 != given } ?? false) {
                    refusals.append("Control account \(given): incompatible with account \(line.account) and business partner \(line.businessPartner)")
                }
            }
        }
        if (master.taxAccounts ?? []).contains(line.account) {
            let tax = line.tax ?? ""
            if tax.isEmpty {
                refusals.append("Account \(line.account): tax code mandatory")
            } else if !(master.taxCodes ?? []).contains(tax) {
                refusals.append("Tax code \(tax): Record does not exist")
            }
        }
        return refusals
    }

    func find(reference: String, accountingDate: String?) -> [X3LedgerEntry] {
        ledger.filter { $0.reference == reference && (accountingDate == nil || $0.accountingDate == accountingDate) }
    }

    /// The entry of this type and number, if X3 holds it.
    func entry(type: String, number: String) -> X3LedgerEntry? {
        if positions == nil {
            positions = Dictionary(ledger.enumerated().map { ($0.element.entryNumber, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
        guard let at = positions?[number], ledger[at].entryType == type else { return nil }
        return ledger[at]
    }

    // MARK: - What a person in X3 does (issue 12's reconciliation tests)

    /// Deletes a posted entry (a temporary entry deleted, or one reversed and purged). Returns
    /// whether X3 held it.
    @discardableResult
    public func remove(entryNumber: String) -> Bool {
        guard let index = ledger.firstIndex(where: { $0.entryNumber == entryNumber }) else { return false }
        ledger.remove(at: index)
        persist()
        return true
    }

    /// Changes the amounts of the entry's lines (line index → amount: a debit and its credit,
    /// so that the entry still balances, as X3 requires). Returns whether X3 held the entry.
    @discardableResult
    public func change(entryNumber: String, amounts: [Int: String]) -> Bool {
        guard let index = ledger.firstIndex(where: { $0.entryNumber == entryNumber }) else { return false }
        for (line, amount) in amounts where ledger[index].lines.indices.contains(line) { ledger[index].lines[line].amount = amount }
        persist()
        return true
    }

    /// Puts entries in X3 as they are, numbers and all, without X3's checks: a year of history
    /// for the reconciliation benchmark, written once.
    public func load(_ entries: [X3LedgerEntry]) {
        ledger += entries
        persist()
    }

    func issueToken(lifetime: TimeInterval) -> String {
        let token = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 36) }.joined()
        tokens[token] = Date().addingTimeInterval(lifetime)
        return token
    }

    func isValid(token: String) -> Bool { (tokens[token] ?? .distantPast) > Date() }

    private func persist() {
        guard let ledgerFile else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(ledger) else { return }
        let temporary = ledgerFile + ".tmp"
        _ = FileManager.default.createFile(atPath: temporary, contents: data)
        rename(temporary, ledgerFile)
    }
}

/// X3's refusal: severity-3 diagnoses with a message and a path.
struct X3Diagnoses: Error {
    struct Diagnosis {
        var message: String
        var path: [String]
    }

    var diagnoses: [Diagnosis]
}
