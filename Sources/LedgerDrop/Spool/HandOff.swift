/// The atomic hand-off of SPEC §2.1, grouped: write every file of a batch as a temp file, flush
/// the filesystem once, then rename each into its folder. Nobody ever sees half a file, and a
/// batch costs one flush instead of one per file.
final class HandOff {
    let spool: Spool
    let directory: String
    /// Temp files of this hand-off carry its own prefix, so two hand-offs of one process never
    /// share a name.
    private let prefix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    private var counter = 0
    /// Temp files written and not yet placed; `close` removes them, so a stop never leaves them
    /// behind to fill a disk that is already full.
    private var pending = Set<String>()

    init(spool: Spool, owner: ClaimOwner = .current) throws(LedgerDropError) {
        self.spool = spool
        self.directory = "\(spool.temporary)/\(owner.folderName)"
        do { try FileSystem.makeDirectory(directory) } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot create \(directory): \(error)")
        }
        Self.removeTemporaryFilesOfDeadOwners(spool, except: owner)
    }

    /// Temp files a killed process staged but never placed are nobody's: its work is redone
    /// from the files it left where they were (or claimed), never from these.
    static func removeTemporaryFilesOfDeadOwners(_ spool: Spool, except owner: ClaimOwner) {
        let now = Timestamp.now()
        for folder in FileSystem.list(spool.temporary) where folder != owner.folderName {
            let path = "\(spool.temporary)/\(folder)"
            guard let other = ClaimOwner(folderName: folder), let status = FileSystem.status(path), status.isDirectory,
                  !other.isAlive(folderModified: status.modified, now: now) else { continue }
            for name in FileSystem.list(path) {
                if name.hasSuffix(Self.journalSuffix) { replayJournal("\(path)/\(name)", into: AuditLog(spool: spool)) }
                FileSystem.remove("\(path)/\(name)")
            }
            _ = FileSystem.removeDirectory(path)
        }
    }

    /// A fully written file waiting to be placed.
    struct Staged {
        let path: String
    }

    /// Space set aside on disk before X3 is asked, so that its answer can still be recorded
    /// when the disk fills meanwhile: a temp file of `size` bytes, filled in by `fill`.
    struct Reservation {
        let path: String
        let size: Int
    }

    private func nextPath(suffix: String = ".tmp") -> String {
        counter += 1
        return "\(directory)/\(prefix)-\(counter)\(suffix)"
    }

    /// Writes `bytes` to a new temp file; not yet durable nor visible in any folder.
    func stage(_ bytes: [UInt8]) throws(LedgerDropError) -> Staged {
        let path = nextPath()
        pending.insert(path)
        do {
            try FileSystem.create(path, bytes: bytes)
        } catch {
            discard(Staged(path: path))
            throw LedgerDropError(.spoolUnavailable, "cannot write a temp file: \(error)")
        }
        return Staged(path: path)
    }

    /// Writes `size` bytes now, to be overwritten by `fill`: overwriting needs no new space.
    func reserve(_ size: Int) throws(LedgerDropError) -> Reservation {
        let staged = try stage([UInt8](repeating: 0x20, count: size))
        return Reservation(path: staged.path, size: size)
    }

    /// The reserved file with exactly `bytes` in it.
    func fill(_ reservation: Reservation, with bytes: [UInt8]) throws(LedgerDropError) -> Staged {
        do { try FileSystem.overwrite(reservation.path, bytes: bytes) } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot write a temp file: \(error)")
        }
        return Staged(path: reservation.path)
    }

    /// One flush makes every staged file (and every rename before it) durable.
    func flush() throws(LedgerDropError) {
        do { try FileSystem.syncFilesystem(containing: spool.root) } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot flush the spool to disk: \(error)")
        }
    }

    /// Renames a staged file into place. With `replace: false` an existing file is never
    /// overwritten (`.exists` is thrown instead).
    func place(_ staged: Staged, at destination: String, replace: Bool) throws(FileSystem.Failure) {
        if replace {
            try FileSystem.move(staged.path, destination)
        } else {
            try FileSystem.moveNoReplace(staged.path, destination)
        }
        pending.remove(staged.path)
    }

    func discard(_ staged: Staged) {
        FileSystem.remove(staged.path)
        pending.remove(staged.path)
    }

    func discard(_ reservation: Reservation) { discard(Staged(path: reservation.path)) }

    /// The audit lines of a commit, written (and flushed) with its outputs, each with the
    /// destinations its outputs go to: if the process dies after placing them and before the
    /// lines reach `audit.log`, the next process to open a hand-off appends the lines whose
    /// outputs are in place. nil when there is nothing to log.
    func journal(_ records: [(lines: [[UInt8]], requires: [String])]) throws(LedgerDropError) -> Staged? {
        var bytes: [UInt8] = []
        for (lines, requires) in records {
            for line in lines {
                for path in requires { bytes += Array(path.utf8) + [0] }
                bytes.append(0)
                bytes += line
            }
        }
        guard !bytes.isEmpty else { return nil }
        let path = nextPath(suffix: Self.journalSuffix)
        pending.insert(path)
        do { try FileSystem.create(path, bytes: bytes) } catch {
            discard(Staged(path: path))
            throw LedgerDropError(.spoolUnavailable, "cannot write a temp file: \(error)")
        }
        return Staged(path: path)
    }

    /// The journal's lines are in `audit.log`.
    func retire(_ journal: Staged?) {
        if let journal { discard(journal) }
    }

    static let journalSuffix = ".audit-journal"

    /// Appends the lines of a dead process's journal whose outputs are in place.
    static func replayJournal(_ path: String, into audit: AuditLog) {
        guard let bytes = try? FileSystem.read(path, limit: 64 << 20) else { return }
        var lines: [[UInt8]] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            var complete = true
            while index < bytes.endIndex, bytes[index] != 0 {
                guard let end = bytes[index...].firstIndex(of: 0) else { return }
                if !FileSystem.exists(String(decoding: bytes[index..<end], as: UTF8.self)) { complete = false }
                index = end + 1
            }
            index += 1
            guard index <= bytes.endIndex, let newline = bytes[index...].firstIndex(of: 0x0A) else { return }
            if complete { lines.append(Array(bytes[index...newline])) }
            index = newline + 1
        }
        try? FileSystem.append(audit.path, records: lines)
    }

    /// Removes what was staged and never placed, then the temp folder when it is empty.
    func close() {
        for path in pending { FileSystem.remove(path) }
        pending.removeAll()
        _ = FileSystem.removeDirectory(directory)
    }
}

extension Spool {
    /// Moves a file into `folder` under `name`, or `stem~2.ext`, `stem~3.ext`… when that name is
    /// taken: nothing already there is ever replaced. Returns the name used.
    func moveAvoidingCollision(_ source: String, into folder: Folder, name: String) throws(LedgerDropError) -> String {
        try moveAvoidingCollision(source, into: path(folder), name: name)
    }

    func moveAvoidingCollision(_ source: String, into directory: String, name: String) throws(LedgerDropError) -> String {
        for attempt in 1...1000 {
            let candidate = attempt == 1 ? name : Self.variant(of: name, number: attempt)
            do {
                try FileSystem.moveNoReplace(source, "\(directory)/\(candidate)")
                return candidate
            } catch .exists {
                continue
            } catch {
                throw LedgerDropError(.spoolUnavailable, "cannot move \(relative(source)) into \(relative(directory))/: \(error)")
            }
        }
        throw LedgerDropError(.spoolUnavailable, "\(relative(directory))/ already holds 1000 files named like \(name)")
    }

    /// A path inside the spool as people see it in messages: `outbox/R1.graphql.json`.
    func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    /// A name not yet used in `folder` for a file and its companion.
    func freeName(in folder: Folder, for name: String, companion: String) -> String {
        for attempt in 1...1000 {
            let candidate = attempt == 1 ? name : Self.variant(of: name, number: attempt)
            if !FileSystem.exists(path(folder, candidate)), !FileSystem.exists(path(folder, candidate + companion)) { return candidate }
        }
        return name
    }

    /// `report.json` → `report~2.json`.
    static func variant(of name: String, number: Int) -> String {
        if let dot = name.firstIndex(of: "."), dot != name.startIndex {
            return "\(name[..<dot])~\(number)\(name[dot...])"
        }
        return "\(name)~\(number)"
    }
}
