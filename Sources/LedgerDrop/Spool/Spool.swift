/// A spool folder (SPEC §2): the inbox, outbox, archive, done and failed folders, the audit log
/// and ledgerdrop's private state. Every stage moves files through it the same way: list ready
/// files, claim, work, hand off atomically.
public struct Spool: Sendable {
    public enum Folder: String, Sendable, CaseIterable {
        case inbox, outbox, archive, done, failed
    }

    public let root: String

    public init(root: String) {
        var root = root.isEmpty ? "." : root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    public func path(_ folder: Folder) -> String { "\(root)/\(folder.rawValue)" }
    public func path(_ folder: Folder, _ name: String) -> String { "\(root)/\(folder.rawValue)/\(name)" }
    public var auditLog: String { "\(root)/audit.log" }
    var state: String { "\(root)/.ledgerdrop" }
    func claims(_ stage: Stage) -> String { "\(state)/claims/\(stage.rawValue)" }
    var temporary: String { "\(state)/tmp" }

    /// Creates every folder of an existing spool that is missing. Safe to call on a spool in
    /// use. A spool folder that does not exist is a configuration error, never made silently:
    /// `create` (`ledgerdrop init`) makes spools.
    public func prepare() throws(LedgerDropError) {
        try requireExisting()
        do {
            for folder in Folder.allCases { try FileSystem.makeDirectory(path(folder)) }
            for stage in Stage.allCases { try FileSystem.makeDirectory(claims(stage)) }
            try FileSystem.makeDirectory(temporary)
        } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot prepare the spool \(root): \(error)")
        }
    }

    /// Makes the spool folder and everything in it (`ledgerdrop init`, the demo).
    public func create() throws(LedgerDropError) {
        do { try FileSystem.makeDirectory(root) } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot create the spool \(root): \(error)")
        }
        try prepare()
    }

    /// The spool folder must exist: a mistyped `--spool` or `spool:` is an error, not an
    /// empty spool.
    public func requireExisting() throws(LedgerDropError) {
        // The spool folder itself may be a link (a mount point's alias); nothing inside it is followed.
        guard FileSystem.isFolder(followingLinks: root) else {
            throw LedgerDropError(.configInvalid, "the spool folder \(root) does not exist (ledgerdrop init --spool \(root) creates one)")
        }
    }

    /// A file of a folder as the listing saw it.
    struct ListedFile {
        var name: String
        var status: FileSystem.Status
    }

    /// Files a stage may take from `folder`, oldest first then by name (SPEC §2.4–§2.5):
    /// not hidden, not a partial download, not a directory, and left alone for `minimumAge`.
    /// "Left alone" is measured on the status-change time, which every write moves: a file whose
    /// size is still changing is never ready, and a copy that kept its original date (even one
    /// in the future) is ready once the copying stops.
    /// `companions` (receipts, error files) are left out; names in `complete` are ready whatever
    /// their age (files this process just handed off atomically itself).
    ///
    /// The folder is read one entry at a time and only the `limit` oldest ready files are kept,
    /// so a folder of any size costs the same memory; `total` counts every ready file. A stage
    /// lists again once it has taken these.
    func readyFiles(in folder: Folder, minimumAge: Duration, now: Int64, companions: [String] = [], complete: Set<String> = [], limit: Int = .max) -> (ready: [ListedFile], waiting: Int, total: Int) {
        let minimumNanoseconds = minimumAge.nanoseconds
        var ready: [ListedFile] = []
        var waiting = 0
        var total = 0
        func older(_ a: ListedFile, _ b: ListedFile) -> Bool { (a.status.modified, a.name) < (b.status.modified, b.name) }
        FileSystem.forEachEntry(in: path(folder)) { name, status in
            guard !Self.isIgnored(name), !companions.contains(where: { name.hasSuffix($0) }), !status.isDirectory else { return }
            if now - status.changed < minimumNanoseconds, !complete.contains(name) {
                waiting += 1
                return
            }
            total += 1
            ready.append(ListedFile(name: name, status: status))
            // Bounded: past twice the limit, only the oldest `limit` are kept.
            if limit < .max / 2, ready.count >= 2 * limit {
                ready.sort(by: older)
                ready.removeLast(ready.count - limit)
            }
        }
        ready.sort(by: older)
        if ready.count > limit { ready.removeLast(ready.count - limit) }
        return (ready, waiting, total)
    }

    /// How many files a stage keeps from one listing (see `readyFiles`).
    static let listingLimit = 16_384

    /// Hidden files and the names of downloads and copies in progress (SPEC §2.4).
    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || [".tmp", ".part", ".partial", ".crdownload"].contains { name.hasSuffix($0) }
    }
}

/// The stages that claim files.
public enum Stage: String, Sendable, CaseIterable {
    case fetch, convert, post
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
