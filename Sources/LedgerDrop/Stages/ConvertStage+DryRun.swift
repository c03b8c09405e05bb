extension ConvertStage {
    /// `--dry-run`: decides what the run would do with what is ready in the inbox — the same
    /// decision, never committed: nothing is claimed, moved or written. The plan is returned.
    func dryRun() throws(LedgerDropError) -> ConvertSummary {
        let (ready, waiting, _) = spool.readyFiles(in: .inbox, minimumAge: minimumAge, now: Timestamp.now())
        summary.waiting = waiting
        var items = ready.map { file in
            WorkItem(name: file.name, recovered: false, conversion: FileConversion.convertFile(at: spool.path(.inbox, file.name), name: file.name, converter: converter, renderer: renderer))
        }
        duplicates.check(&items)
        for item in items {
            switch item.conversion.outcome {
            case .converted(let payloads):
                summary.files += 1
                summary.reports += item.conversion.reportCount
                summary.entries += payloads.count
            case .failed(let error):
                summary.failedFiles += 1
                summary.failures[error.code, default: 0] += 1
            }
        }
        summary.plan = decision.transaction(items, source: { [spool] in spool.path(.inbox, $0) }, at: Timestamp.iso8601(Timestamp.now())).plan(spool)
        return summary
    }
}
