/// `ledgerdrop replay` (SPEC §8): files in `failed/` go back to where they can be tried again —
/// payloads to `outbox/`, or with `reconvert` the source reports to `inbox/` — and each move is
/// in the audit log. The error file of a replayed item is kept in `.ledgerdrop/replayed/`. A
/// replayed payload is marked to be looked up in X3 before it is posted again, whatever its
/// error said: an answer ledgerdrop could not read may have come after X3 stored the entry.
public struct Replay {
    public struct Selection: Sendable {
        public var keys: [String]
        public var all: Bool
        public var code: ErrorCode?
        public var reconvert: Bool

        public init(keys: [String] = [], all: Bool = false, code: ErrorCode? = nil, reconvert: Bool = false) {
            self.keys = keys
            self.all = all
            self.code = code
            self.reconvert = reconvert
        }
    }

    public struct Moved: Sendable, Equatable {
        public var file: String
        public var to: String
    }

    let spool: Spool
    let runID: String

    public init(spool: Spool, run: String = AuditLog.newRunID()) {
        self.spool = spool
        self.runID = run
    }

    public func run(_ selection: Selection) throws(LedgerDropError) -> [Moved] {
        let (history, marks) = try prepare()
        var moved: [Moved] = []
        var items: [SpoolTransaction.Item] = []
        var matched = Set<String>()
        let now = Timestamp.iso8601(Timestamp.now())
        func move(_ from: String, to directory: String, _ name: String) -> SpoolTransaction.Move {
            .init(from: from, directory: directory, name: name, rule: .exactly)
        }
        for name in FileSystem.list(spool.path(.failed)).sorted() where name.hasSuffix(ErrorFile.suffix) {
            let file = String(name.dropLast(ErrorFile.suffix.count))
            guard FileSystem.exists(spool.path(.failed, file)),
                  let bytes = try? FileSystem.read(spool.path(.failed, name), limit: 1 << 22),
                  let error = ErrorFile.read(bytes) else { continue }
            let key = error.entryKey ?? ""
            let named = selection.keys.filter { $0 == key || $0 == file || error.reportIDs.contains($0) }
            matched.formUnion(named)
            guard selection.all || !named.isEmpty, selection.code == nil || selection.code == error.code else { continue }
            let isPayload = PayloadFormat(fileName: file) != nil && error.stage == Stage.post.rawValue
            var item = SpoolTransaction.Item()
            // X3 may hold a replayed payload: the mark says to look it up before posting again.
            if isPayload {
                let stem = key.isEmpty ? String(file.dropLast(PayloadFormat(fileName: file)!.fileExtension.count)) : key
                item.outputs.append(.init(content: .bytes([]), destination: marks.path(stem), replace: true))
            }
            let destination: String
            if isPayload && !selection.reconvert {
                destination = "outbox"
                item.moves.append(move(spool.path(.failed, file), to: spool.path(.outbox), file))
                moved.append(Moved(file: "failed/\(file)", to: "outbox/\(file)"))
            } else if isPayload {
                // Reconvert a refused payload: its source goes back to the inbox, the payload aside.
                guard let source = findSource(reportIDs: error.reportIDs) else { continue }
                destination = "inbox"
                item.moves.append(move(spool.path(.archive, source), to: spool.path(.inbox), source))
                item.moves.append(move(spool.path(.failed, file), to: history, "\(Timestamp.now())-\(file)"))
                moved.append(Moved(file: "archive/\(source)", to: "inbox/\(source)"))
            } else {
                destination = "inbox"
                item.moves.append(move(spool.path(.failed, file), to: spool.path(.inbox), file))
                moved.append(Moved(file: "failed/\(file)", to: "inbox/\(file)"))
            }
            item.moves.append(move(spool.path(.failed, name), to: history, "\(Timestamp.now())-\(name)"))
            var event = AuditEvent(at: now, event: .replayed, stage: isPayload ? .post : .convert, run: runID)
            event.reportID = error.reportIDs.joined(separator: ",")
            event.entryKey = key
            event.file = file
            event.code = error.code
            event.message = "sent back to \(destination)/ after \(error.code.rawValue)"
            item.events = [event]
            items.append(item)
        }
        try commit(items)
        let unknown = selection.keys.filter { !matched.contains($0) }
        if !unknown.isEmpty {
            throw LedgerDropError(.configInvalid, "nothing in failed/ is named \(unknown.joined(separator: ", ")) (an entry key, a file name or a report ID)"
                                  + (moved.isEmpty ? "" : "; the others were replayed"))
        }
        return moved
    }

    /// The spool ready, with the folder of what was replayed and the folder of lookup marks.
    func prepare() throws(LedgerDropError) -> (history: String, marks: LookupMarks) {
        try spool.prepare()
        let history = "\(spool.state)/replayed"
        let marks = LookupMarks(spool: spool)
        do {
            try FileSystem.makeDirectory(history)
            try FileSystem.makeDirectory(marks.folder)
        } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot create \(history): \(error)")
        }
        return (history, marks)
    }

    /// The replay's moves as one spool transaction.
    func commit(_ items: [SpoolTransaction.Item]) throws(LedgerDropError) {
        guard !items.isEmpty else { return }
        let handOff = try HandOff(spool: spool)
        defer { handOff.close() }
        try SpoolTransaction(label: "replay", items: items).commit(handOff, audit: AuditLog(spool: spool))
        try handOff.flush()
    }

    /// The archived report file that holds one of these report IDs.
    private func findSource(reportIDs: [String]) -> String? {
        for name in FileSystem.list(spool.path(.archive)) where name.hasSuffix(".json") {
            guard let bytes = try? FileSystem.read(spool.path(.archive, name), limit: ReportFile.maxFileBytes) else { continue }
            let ids = ReportFile.read(bytes).entries.map(\.report.reportID)
            if ids.contains(where: reportIDs.contains) { return name }
        }
        return nil
    }
}
