/// `replay --repost` and `replay --refetch` (issue 12): what `reconcile` found wrong with a
/// posted report, sent back to be done again. The receipts are set aside in
/// `.ledgerdrop/replayed/` (kept, never deleted), and the audit log says so.
///
/// - `--repost`: each posted payload goes back to `outbox/`, marked to be looked up in X3 first —
///   an entry X3 still holds is recorded again, never posted twice. For an entry X3 no longer
///   holds (missing in X3), or one reversed there because it was changed.
/// - `--refetch`: the payloads and the archived report are set aside too, so that the next
///   `fetch` takes Expensify's report as it is now (changed in Expensify, after the old entry
///   was reversed in X3).
extension Replay {
    public enum Again: Sendable { case repost, refetch }

    public func again(_ reportIDs: [String], _ how: Again) throws(LedgerDropError) -> [Moved] {
        let (history, marks) = try prepare()
        let now = Timestamp.iso8601(Timestamp.now())
        let stamp = Timestamp.now()
        let done = FileSystem.list(spool.path(.done))
        var moved: [Moved] = []
        var items: [SpoolTransaction.Item] = []
        var unknown: [String] = []
        for id in reportIDs {
            // The receipt's name says whose it is; its content confirms it.
            let keys = done.filter { $0.hasSuffix(Receipt.suffix) && SpoolReportIndex.reportID(fromFileName: $0) == id }
                .map { String($0.dropLast(Receipt.suffix.count)) }
                .filter { key in Self.reportID(ofReceipt: spool.path(.done, key + Receipt.suffix)) == id }
            guard !keys.isEmpty else {
                unknown.append(id)
                continue
            }
            var item = SpoolTransaction.Item()
            for key in keys.sorted() {
                item.moves.append(.init(from: spool.path(.done, key + Receipt.suffix), directory: history, name: "\(stamp)-\(key)\(Receipt.suffix)", rule: .exactly))
                moved.append(Moved(file: "done/\(key)\(Receipt.suffix)", to: ".ledgerdrop/replayed/"))
                for format in PayloadFormat.allCases where done.contains(key + format.fileExtension) {
                    let payload = key + format.fileExtension
                    if how == .repost {
                        item.outputs.append(.init(content: .bytes([]), destination: marks.path(key), replace: true))
                        item.moves.append(.init(from: spool.path(.done, payload), directory: spool.path(.outbox), name: payload, rule: .exactly))
                        moved.append(Moved(file: "done/\(payload)", to: "outbox/\(payload)"))
                    } else {
                        item.moves.append(.init(from: spool.path(.done, payload), directory: history, name: "\(stamp)-\(payload)", rule: .exactly))
                        moved.append(Moved(file: "done/\(payload)", to: ".ledgerdrop/replayed/"))
                    }
                }
            }
            if how == .refetch {
                for name in FileSystem.list(spool.path(.archive)).sorted() where SpoolReportIndex.reportID(fromFileName: name) == id {
                    item.moves.append(.init(from: spool.path(.archive, name), directory: history, name: "\(stamp)-\(name)", rule: .exactly))
                    moved.append(Moved(file: "archive/\(name)", to: ".ledgerdrop/replayed/"))
                }
            }
            var event = AuditEvent(at: now, event: .replayed, stage: how == .repost ? .post : .fetch, run: runID)
            event.reportID = id
            event.message = how == .repost
                ? "posted entr\(keys.count == 1 ? "y" : "ies") \(keys.joined(separator: ", ")) sent back to outbox/ to be posted again (looked up in X3 first); receipts set aside"
                : "posted entr\(keys.count == 1 ? "y" : "ies") \(keys.joined(separator: ", ")) and the report set aside, to be fetched again from Expensify"
            item.events = [event]
            items.append(item)
        }
        try commit(items)
        if !unknown.isEmpty {
            throw LedgerDropError(.configInvalid, "no receipt in done/ is of report \(unknown.joined(separator: ", "))" + (moved.isEmpty ? "" : "; the others were replayed"))
        }
        return moved
    }

    /// The report ID a receipt names.
    static func reportID(ofReceipt path: String) -> String? {
        guard let bytes = try? FileSystem.read(path, limit: 1 << 20), let document = try? JSONParser.parse(bytes),
              case .string(let id)? = document["reportID"] else { return nil }
        return id
    }
}
