/// One report's verdict from what each side says of it (issue 12). Pure: the spool's record, what
/// Expensify has now and what X3 holds come in; one row goes out, with its details.
///
/// The first that holds wins: missing in the spool (only Expensify knows it), failed, waiting,
/// missing in X3, different in X3, not approved any more, changed in Expensify, posted but not
/// checked, reconciled. What else holds is said in the details.
struct ReportJudgement {
    /// What Expensify says: not asked; asked and absent (deleted); or its report.
    enum ExpensifyAnswer: Sendable, Equatable {
        case notAsked(String)
        case absent
        case report(ExpensifySide.Fact)
    }

    var reportID: String
    var spool: SpoolSide.Report?
    var expensify: ExpensifyAnswer
    /// X3's answer (or the spool's alone, `.notAsked`) for each posted entry.
    var x3: [String: X3Side.Answer]
    /// Each posted entry's lines, where the page wants them.
    var lines: [String: [ReconcileRow.Line]] = [:]

    var row: ReconcileRow {
        guard let spool else {
            var row = ReconcileRow(reportID: reportID, verdict: .missingInSpool, details: ["approved in Expensify; ledgerdrop has never seen it (no fetch covered it, or its file was removed)"])
            if case .report(let fact) = expensify {
                row.approved = fact.approved?.description ?? ""
                row.company = fact.company
            }
            row.remedy = ReconcileVerdict.missingInSpool.remedy
            return row
        }
        var row = ReconcileRow(reportID: reportID, company: spool.company, approved: spool.approved?.description ?? "", verdict: .reconciled)
        row.entries = spool.entries.map(entry)
        var found: [(ReconcileVerdict, [String])] = []
        if let failure = spool.failure {
            found.append((.failed, ["\(failure.file): \(failure.code): \(failure.message)"]))
            row.code = failure.code
            row.remedy = failure.remedy
        }
        for entry in spool.entries {
            if let failure = entry.failure {
                found.append((.failed, ["\(failure.file): \(failure.code): \(failure.message)"]))
                if row.code.isEmpty { row.code = failure.code; row.remedy = failure.remedy }
            }
        }
        if !spool.waiting.isEmpty { found.append((.waiting, ["\(spool.waiting) waits to be converted"])) }
        for entry in spool.entries where entry.place == .outbox || entry.place == .claimed {
            found.append((.waiting, ["\(entry.key) waits to be posted (\(entry.place == .outbox ? "outbox/" : "claimed by a post run"))"]))
        }
        if spool.entries.isEmpty, spool.waiting.isEmpty, spool.failure == nil {
            found.append((.missingInSpool, ["the audit log knows it, but no file of it is in inbox/, outbox/, failed/ or done/"]))
        }
        let done = spool.entries.filter { $0.place == .done }
        var notChecked: [String] = []
        // A report of several entries says which one; a report of one needs not.
        func named(_ entry: SpoolSide.Entry) -> String { spool.entries.count > 1 ? "\(entry.key): " : "" }
        for entry in done {
            guard let answer = x3[entry.key] else {
                notChecked.append("\(named(entry))X3 not asked")
                continue
            }
            switch answer.check {
            case .same: break
            case .missing: found.append((.missingInX3, ["\(named(entry))X3 has no entry \(answer.number.isEmpty ? "for it" : answer.number)"]))
            case .different(let differences): found.append((.differentInX3, differences.map { "\(named(entry))\($0)" }))
            case .notLoaded: found.append((.waiting, ["\(named(entry))handed off; X3 has not loaded it yet"]))
            case .notAsked(let why): notChecked.append("\(named(entry))X3 not asked: \(why)")
            }
        }
        if !done.isEmpty {
            switch expensify {
            case .notAsked(let why): notChecked.append("Expensify not asked: \(why)")
            case .absent: found.append((.notApproved, ["Expensify no longer has the report (deleted, or no longer visible to the credentials)"]))
            case .report(let fact):
                if !ExpensifySide.approvedStates.contains(fact.state) {
                    found.append((.notApproved, ["Expensify has it \(fact.state) now"]))
                } else if let converted = spool.digest, let now = fact.digest {
                    if now != converted {
                        found.append((.changedInExpensify, ["Expensify's report differs from the one converted (content \(now.short), converted \(converted.short))"]))
                    }
                } else {
                    notChecked.append("converted before ledgerdrop recorded content hashes: Expensify's copy not compared")
                }
            }
        }
        let order: [ReconcileVerdict] = [.missingInSpool, .failed, .waiting, .missingInX3, .differentInX3, .notApproved, .changedInExpensify]
        if let verdict = order.first(where: { verdict in found.contains { $0.0 == verdict } }) {
            row.verdict = verdict
            row.details = found.filter { $0.0 == verdict }.flatMap(\.1)
                + found.filter { $0.0 != verdict }.flatMap { item in item.1.map { "also \(item.0.rawValue): \($0)" } }
        } else {
            row.verdict = notChecked.isEmpty ? .reconciled : .postedNotChecked
        }
        row.details += notChecked
        if row.remedy.isEmpty { row.remedy = row.verdict.remedy }
        return row
    }

    private func entry(_ entry: SpoolSide.Entry) -> ReconcileRow.Entry {
        let place = entry.place == .done && x3[entry.key]?.check == .notLoaded ? "handed off" : entry.place.rawValue
        var row = ReconcileRow.Entry(entryKey: entry.key, place: place)
        if let answer = x3[entry.key] {
            row.x3EntryNumber = answer.number
            row.total = answer.total
            row.currency = answer.currency
            row.postedOn = answer.postedOn
            row.lines = lines[entry.key]
            row.x3 = switch answer.check {
            case .same: "same"
            case .missing: "missing"
            case .different: "different"
            case .notLoaded: "not loaded yet"
            case .notAsked: "not asked"
            }
        } else if entry.place == .done {
            row.x3 = "not asked"
        }
        return row
    }
}
