/// The X3 numbers that come later (SPEC §13.2): an entry handed off to `x3.handoff.folder` gets its
/// number once finance has loaded it with GESAIM; one that AOWSIMPORT accepted before the lookup
/// could see it, once the lookup does. After each post run the entries marked as pending are
/// looked up; each one found gets its number written into its receipt, an audit line
/// (`numbered`), and loses its mark — one spool transaction each, failpoints `number.<step>`.
extension PostStage {
    func fillPendingNumbers(handOff: HandOff) async throws(LedgerDropError) {
        for (entryKey, name) in pendingNumbers.all() {
            if stop?.isRequested == true { return }
            let receiptPath = spool.path(.done, entryKey + Receipt.suffix)
            guard let bytes = try? FileSystem.read(spool.path(.done, name), limit: ReportFile.maxFileBytes),
                  let payload = try? PayloadFile.read(fileName: name, bytes: bytes, x3: x3),
                  let receiptBytes = try? FileSystem.read(receiptPath, limit: 1 << 20), var receipt = Receipt.read(receiptBytes) else {
                logger.warning("the pending X3 number of \(entryKey) cannot be looked up: done/\(name) or its receipt cannot be read")
                continue
            }
            let entry: X3Entry
            do {
                guard let found = try await attempt.transport.lookup(payload).first(where: { !$0.entryNumber.isEmpty }) else { continue }
                entry = found
            } catch {
                // X3 cannot say now; the next run asks again. A systemic answer ends the round.
                if case .systemic(let error) = error.outcome {
                    logger.notice("pending X3 numbers not looked up: \(error.message)")
                    return
                }
                continue
            }
            receipt.x3EntryNumber = entry.entryNumber
            if !entry.entryType.isEmpty { receipt.x3EntryType = entry.entryType }
            var numbered = event(.numbered, payload, file: name, at: Timestamp.iso8601(Timestamp.now()))
            numbered.x3EntryNumber = entry.entryNumber
            numbered.message = receipt.handedOff == true ? "loaded into X3 from x3.handoff.folder; found by lookup" : "found in X3 by lookup after it was accepted"
            try SpoolTransaction(label: "number", items: [.init(outputs: [.init(content: .bytes(receipt.bytes), destination: receiptPath, replace: true)],
                                                                events: [numbered], removals: [pendingNumbers.path(entryKey)])]).commit(handOff, audit: audit)
            summary.numbered += 1
            logger.info("\(name) → X3 entry \(entry.entryNumber) (number found after the hand-off)")
        }
    }
}
