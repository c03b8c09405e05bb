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

    /// Creates every folder that is missing. Safe to call on a spool in use.
    public func prepare() throws(LedgerDropError) {
        do {
            for folder in Folder.allCases { try FileSystem.makeDirectory(path(folder)) }
            for stage in Stage.allCases { try FileSystem.makeDirectory(claims(stage)) }
            try FileSystem.makeDirectory(temporary)
        } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot prepare the spool \(root): \(error)")
        }
    }

    /// A file of a folder as the listing saw it.
    struct ListedFile {
        var name: String
        var status: FileSystem.Status
    }

    /// Files a stage may take from `folder`, oldest first then by name (SPEC §2.4–§2.5):
    /// not hidden, not a partial download, older than `minimumAge`, and not a directory.
    /// `companions` (receipts, error files) are left out; names in `complete` are ready whatever
    /// their age (files this process just handed off atomically itself).
    func readyFiles(in folder: Folder, minimumAge: Duration, now: Int64, companions: [String] = [], complete: Set<String> = []) -> (ready: [ListedFile], waiting: Int) {
        let directory = path(folder)
        let minimumNanoseconds = minimumAge.nanoseconds
        var ready: [ListedFile] = []
        var waiting = 0
        for name in FileSystem.list(directory) where !Self.isIgnored(name) && !companions.contains(where: { name.hasSuffix($0) }) {
            guard let status = FileSystem.status("\(directory)/\(name)"), !status.isDirectory else { continue }
            if now - status.modified < minimumNanoseconds, !complete.contains(name) {
                waiting += 1
                continue
            }
            ready.append(ListedFile(name: name, status: status))
        }
        ready.sort { ($0.status.modified, $0.name) < ($1.status.modified, $1.name) }
        return (ready, waiting)
    }

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
