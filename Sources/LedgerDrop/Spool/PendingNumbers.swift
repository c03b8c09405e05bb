/// Entries in `done/` whose X3 number is not known yet: handed off to a folder for GESAIM (the
/// `file` route), or accepted by AOWSIMPORT before the lookup could find them. Each has a mark
/// `.ledgerdrop/number-pending/<entry-key>` holding its payload's file name, written with its
/// receipt; a later post looks the entry up and, once X3 has it, writes the number into the
/// receipt and removes the mark (SPEC §13.2). The marks keep that question small: done/ is
/// never read through for it.
struct PendingNumbers {
    let spool: Spool

    var folder: String { "\(spool.state)/number-pending" }
    func path(_ entryKey: String) -> String { "\(folder)/\(EntryKey(entryKey).fileStem)" }

    /// (entry key, payload file name in done/) of every pending entry.
    func all() -> [(entryKey: String, payload: String)] {
        FileSystem.list(folder).filter { !$0.hasPrefix(".") }.compactMap { name in
            guard let bytes = try? FileSystem.read("\(folder)/\(name)", limit: 4096) else { return nil }
            let payload = String(decoding: bytes, as: UTF8.self)
            return payload.isEmpty || payload.contains("/") ? nil : (name, payload)
        }
    }
}
