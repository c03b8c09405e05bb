/// Entry keys whose payload must be looked up in X3 before it is posted again, whatever its
/// error file said: `replay` sends a payload back to `outbox/` with a mark
/// (`.ledgerdrop/lookup-first/<entry-key>`), and the poster removes it once the payload is
/// decided. A payload moved back by hand is recognised by the error file it left in `failed/`.
struct LookupMarks {
    let spool: Spool

    var folder: String { "\(spool.state)/lookup-first" }
    func path(_ entryKey: String) -> String { "\(folder)/\(EntryKey(entryKey).fileStem)" }

    func mark(_ entryKey: String) throws(LedgerDropError) {
        do {
            try FileSystem.makeDirectory(folder)
            FileSystem.remove(path(entryKey))
            try FileSystem.create(path(entryKey), bytes: [])
        } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot mark \(entryKey) to be looked up first: \(error)")
        }
    }

    func isMarked(_ entryKey: String) -> Bool { FileSystem.exists(path(entryKey)) }

    func clear(_ entryKey: String) { FileSystem.remove(path(entryKey)) }
}
