/// Entry keys whose payload must be looked up in X3 before it is posted again, whatever its
/// error file said: `replay` sends a payload back to `outbox/` with a mark
/// (`.ledgerdrop/lookup-first/<entry-key>`), and the poster removes it once the payload is
/// decided. A payload moved back by hand is recognised by the error file it left in `failed/`.
struct LookupMarks {
    let spool: Spool

    var folder: String { "\(spool.state)/lookup-first" }
    func path(_ entryKey: String) -> String { "\(folder)/\(EntryKey(entryKey).fileStem)" }

    func isMarked(_ entryKey: String) -> Bool { FileSystem.exists(path(entryKey)) }

}
