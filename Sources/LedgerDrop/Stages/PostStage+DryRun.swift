extension PostStage {
    /// `post --dry-run`: validates every ready payload and prints the request it would send, the
    /// credentials redacted. Nothing is claimed, moved or sent.
    func dryRunSummary() -> PostSummary {
        var summary = PostSummary()
        let (ready, waiting, _) = spool.readyFiles(in: .outbox, minimumAge: minimumAge, now: Timestamp.now())
        summary.waiting = waiting
        for file in ready {
            do throws(LedgerDropError) {
                let bytes: [UInt8]
                do { bytes = try FileSystem.read(spool.path(.outbox, file.name), limit: ReportFile.maxFileBytes) } catch {
                    throw LedgerDropError(.unsupportedFile, "\(file.name) cannot be read: \(error)")
                }
                let payload = try PayloadFile.read(fileName: file.name, bytes: bytes, x3: x3)
                if FileSystem.exists(spool.path(.done, payload.entryKey + Receipt.suffix)) {
                    throw LedgerDropError(.duplicateReport, "\(payload.entryKey) already has a receipt in done/; it would not be posted")
                }
                summary.plan.append("=== \(file.name): \(payload.lineCount) lines, \(payload.total) \(payload.currency), \(payload.accountingDate)")
                summary.plan.append(X3Connection.describe(payload, x3: x3))
                summary.posted += 1
            } catch {
                summary.plan.append("=== \(file.name) would go to failed/: \(error.code.rawValue): \(error.message)")
                summary.failures[error.code, default: 0] += 1
            }
        }
        return summary
    }
}
