/// What a batch of converted files becomes, as one spool transaction: payloads into `outbox/`
/// and the source into `archive/`, or an error file and the source into `failed/`. A value, so
/// that converted items are decided beside the hand-off before; failures are decided when the
/// batch is committed (their names in `failed/` depend on what is there then).
struct ConvertDecision: Sendable {
    let spool: Spool
    let runID: String

    /// The whole batch; `decided` holds the converted items made ahead, by position.
    func transaction(_ items: [ConvertStage.WorkItem], decided: [SpoolTransaction.Item?] = [], source: @escaping @Sendable (String) -> String, at now: String) -> SpoolTransaction {
        SpoolTransaction(label: "convert", items: items.enumerated().map { index, item in
            if index < decided.count, let made = decided[index] { return made }
            switch item.conversion.outcome {
            case .converted(let payloads): return converted(item, payloads, source: source, at: now)
            case .failed(let error): return failure(item, error, source: source, at: now)
            }
        })
    }

    func converted(_ item: ConvertStage.WorkItem, _ payloads: [Payload], source: @escaping @Sendable (String) -> String, at now: String) -> SpoolTransaction.Item {
        var decided = SpoolTransaction.Item()
        for payload in item.payloads {
            let note = item.conversion.entries.first { $0.key.value == payload.entryKey.value }.map {
                "\($0.lines.count) lines, \(Money(minorUnits: $0.debitTotal, currency: $0.currency)), from \(item.name)"
            }
            decided.outputs.append(.init(content: .bytes(payload.bytes), destination: spool.path(.outbox, payload.fileName),
                                         replace: item.replacing.contains(payload.fileName), note: note ?? ""))
        }
        for (payload, entry) in zip(payloads, item.conversion.entries) {
            var event = AuditEvent(at: now, event: .converted, stage: .convert, run: runID)
            event.reportID = entry.reportID
            event.entryKey = entry.key.value
            event.company = entry.company
            if let content = item.conversion.contents[entry.reportID] {
                event.approved = content.approved?.description ?? ""
                event.contentHash = content.hash
            }
            event.file = item.name
            event.message = "outbox/\(payload.fileName): \(entry.lines.count) lines, \(Money(minorUnits: entry.debitTotal, currency: entry.currency))"
                + (item.recovered ? " (recovered claim)" : "") + (item.replacing.contains(payload.fileName) ? " (replaced by --force)" : "")
            if entry.movedToOpenPeriod {
                event.movedFrom = entry.sourceDate.description
                event.message += "; dated \(entry.accountingDate), the first day of the next open period: its expenses are of \(entry.sourceDate), in a closed period (posting.closedPeriod: next-open)"
            }
            // A warning (posting.totalCheck: warn) rides on the converted line: its code, its text.
            if let warning = item.conversion.warnings[entry.reportID]?.first {
                event.code = warning.code
                event.message += "; warning: " + warning.message
            }
            decided.events.append(event)
        }
        decided.lines = decided.events.map(\.line)
        decided.moves = [.init(from: source(item.name), directory: spool.path(.archive), name: item.name)]
        // Only what a failure needs is kept for the clash: not the entries.
        var slim = item
        slim.conversion.entries = []
        slim.payloads = []
        decided.onClash = { [self, slim] clash in
            // Another process handed off the same entry key since the duplicate check.
            let error = LedgerDropError(.duplicateReport, "\(spool.relative(clash)) (the same entry key) was written by another run at the same time")
            return failure(slim, error, source: source, at: now)
        }
        return decided
    }

    func failure(_ item: ConvertStage.WorkItem, _ error: LedgerDropError, source: (String) -> String, at now: String) -> SpoolTransaction.Item {
        let name = spool.freeName(in: .failed, for: item.name, companion: ErrorFile.suffix)
        let errorFile = ErrorFile(stage: .convert, error: error, file: item.name, reportIDs: item.conversion.reportIDs, at: now)
        var event = AuditEvent(at: now, event: .failed, stage: .convert, run: runID)
        event.reportID = item.conversion.reportIDs.joined(separator: ",")
        if item.conversion.reportIDs.count == 1, let approved = item.conversion.contents[item.conversion.reportIDs[0]]?.approved { event.approved = approved.description }
        event.file = item.name
        event.code = error.code
        event.message = "failed/\(name): \(error.message)"
        let detail = [error.code.rawValue + ": " + error.message] + error.problems.dropFirst().map { "\($0.code.rawValue) at \($0.path): \($0.message)" }
        return SpoolTransaction.Item(
            outputs: [.init(content: .bytes(errorFile.bytes), destination: spool.path(.failed, name + ErrorFile.suffix))],
            events: [event],
            moves: [.init(from: source(item.name), directory: spool.path(.failed), name: name, rule: .firstFreeNameWithCompanion(ErrorFile.suffix), note: detail.joined(separator: "\n    "))])
    }
}
