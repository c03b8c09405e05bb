/// The `file` route (SPEC §13.1, §13.2): each import payload is handed to `x3.handoff.folder`, where
/// finance (or a recurring GESAIM task) loads it into X3. The folder plays X3's part: handing a
/// file over is the post, and the post stage records it as for any route — a receipt in `done/`
/// (`handedOff`, no entry number yet), the audit line, the payload moved on.
///
/// The hand-off is atomic there too: the file is written under a temp name beside its final one
/// (`.<name>.<owner>.tmp`, never `*.import.txt`, so a loader that takes `*.import.txt` never sees
/// half a file), flushed, renamed without replacing anything, and the folder flushed. The folder
/// may be another filesystem (a share), so nothing is renamed across from the spool.
///
/// Finding an entry again (a run that stopped between the hand-off and its receipt): the same
/// bytes already waiting in the folder are the hand-off; otherwise X3 is asked with the stock
/// fingerprint lookup where X3 can be read (`x3.url` and credentials set), since the file may
/// have been loaded and moved away meanwhile.
public struct FolderHandOff: X3Transport {
    let folder: String
    /// The X3 lookup, when X3 can be read from here.
    let stock: (any X3Transport)?

    public init(folder: String, stock: (any X3Transport)?) {
        self.folder = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        self.stock = stock
        removeTemporaryFilesOfDeadOwners()
    }

    static let temporarySuffix = ".tmp"

    /// `.<name>.<owner>.tmp`: whose temp file it is, so that a process never removes another's.
    func temporaryPath(for name: String, owner: ClaimOwner = .current) -> String {
        "\(folder)/.\(name).\(owner.folderName)\(Self.temporarySuffix)"
    }

    /// A process killed mid-hand-off leaves its temp file; the next one removes it (its payload
    /// is still claimed in the spool and is handed off again).
    func removeTemporaryFilesOfDeadOwners() {
        let now = Timestamp.now()
        FileSystem.forEachEntry(in: folder) { name, status in
            // The owner follows the payload's name (`….import.txt.`); a host name may hold dots.
            guard name.hasPrefix("."), name.hasSuffix(Self.temporarySuffix),
                  let end = name.range(of: PayloadFormat.importRecords.fileExtension + "."),
                  let owner = ClaimOwner(folderName: String(name[end.upperBound...].dropLast(Self.temporarySuffix.count))),
                  !owner.isAlive(folderModified: status.modified, now: now) else { return }
            FileSystem.remove("\(folder)/\(name)")
        }
    }

    func destination(_ payload: PayloadFile) -> String { "\(folder)/\(payload.fileName)" }

    public func post(_ payload: PayloadFile) async -> PostOutcome {
        guard payload.format == .importRecords else {
            return .rejected(LedgerDropError(.invalidPayload, "\(payload.fileName) is not an import payload (*.import.txt); x3.api file hands off only those"), reply: "")
        }
        let destination = destination(payload)
        if let there = alreadyThere(payload) { return there }
        let temporary = temporaryPath(for: payload.fileName)
        // The folder cannot take files (missing, read-only, full): nothing else will pass.
        func stop(_ error: FileSystem.Failure) -> PostOutcome {
            FileSystem.remove(temporary)
            return .systemic(LedgerDropError(.spoolUnavailable, "cannot hand \(payload.fileName) off to x3.handoff.folder \(folder): \(error)"))
        }
        FileSystem.remove(temporary)
        do {
            try FileSystem.create(temporary, bytes: payload.bytes)
            try FileSystem.sync(temporary)
        } catch { return stop(error) }
        do {
            try FileSystem.moveNoReplace(temporary, destination)
        } catch .exists {
            // Another poster handed the same name over just now: its file decides.
            FileSystem.remove(temporary)
            return alreadyThere(payload) ?? different(payload)
        } catch { return stop(error) }
        do { try FileSystem.sync(folder) } catch { return stop(error) }
        return .posted(Self.handedOff(payload), diagnoses: ["handed off to \(destination)"])
    }

    /// Whether the payload's file waits in the folder: true with the same bytes, false with
    /// other bytes (or none readable), nil when there is none.
    func waiting(_ payload: PayloadFile) -> Bool? {
        do { return try FileSystem.read(destination(payload), limit: payload.bytes.count + 1) == payload.bytes } catch .missing { return nil } catch { return false }
    }

    /// The outcome when a file of the payload's name is in the folder already: the same bytes are
    /// this hand-off, done before; other bytes are never replaced.
    func alreadyThere(_ payload: PayloadFile) -> PostOutcome? {
        switch waiting(payload) {
        case nil: nil
        case true?: .posted(Self.handedOff(payload), diagnoses: ["already waiting in \(destination(payload))"])
        case false?: different(payload)
        }
    }

    func different(_ payload: PayloadFile) -> PostOutcome {
        .rejected(LedgerDropError(.duplicateReport, "a different file named \(payload.fileName) waits in x3.handoff.folder \(folder); it is never replaced — compare the two and remove one"), reply: "")
    }

    public var checksMasterData: Bool { stock?.checksMasterData ?? false }
    public func masterData(_ question: MasterDataQuestion) async throws(LedgerDropError) -> [JSONValue] {
        try await stock?.masterData(question) ?? []
    }

    /// The folder takes files: a temp file written and removed.
    public func checkPublication() async throws(LedgerDropError) -> [(ok: Bool, text: String)] {
        let probe = "\(folder)/.ledgerdrop-check.\(ClaimOwner.current.folderName).tmp"
        defer { FileSystem.remove(probe) }
        do { try FileSystem.create(probe, bytes: []) } catch {
            return [(false, "x3.handoff.folder \(folder) does not take files: \(error)")]
        }
        return [(true, "x3.handoff.folder \(folder) takes files")]
    }

    /// X3 first (a loader may leave the files it loaded where they are), then the folder.
    public func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
        let handed = waiting(payload) == true
        if let stock {
            do {
                let found = try await stock.lookup(payload)
                if !found.isEmpty { return found }
            } catch {
                // X3 cannot answer now; the file in the folder still proves the hand-off.
                if !handed { throw error }
            }
        }
        return handed ? [Self.handedOff(payload)] : []
    }

    /// What a receipt records for a hand-off: the entry type, and no number until X3 has it.
    static func handedOff(_ payload: PayloadFile) -> X3Entry {
        X3Entry(entryType: payload.entryType, entryNumber: "", accountingDate: payload.accountingDate.description, reference: payload.reference)
    }
}
