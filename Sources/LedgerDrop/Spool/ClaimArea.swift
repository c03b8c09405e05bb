/// The claims of one stage: `.ledgerdrop/claims/<stage>/<owner>/<file>`. A claim is a
/// `rename(2)` out of a spool folder into the owner's folder, so of two processes (on one host
/// or two hosts sharing the folder) exactly one wins (SPEC §2.2).
struct ClaimArea {
    let spool: Spool
    let stage: Stage
    let owner: ClaimOwner

    init(spool: Spool, stage: Stage, owner: ClaimOwner = .current) {
        self.spool = spool
        self.stage = stage
        self.owner = owner
    }

    var directory: String { "\(spool.claims(stage))/\(owner.folderName)" }
    func path(_ name: String) -> String { "\(directory)/\(name)" }

    func open() throws(LedgerDropError) {
        do { try FileSystem.makeDirectory(directory) } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot create the claim folder \(directory): \(error)")
        }
    }

    /// Removes this owner's claim folder once it is empty.
    func close() { _ = FileSystem.removeDirectory(directory) }

    /// Claims a listed file unless it changed since it was listed (still being copied) or
    /// another process claimed it first. Returns whether the claim was won.
    func claim(_ file: Spool.ListedFile, from folder: Spool.Folder) throws(LedgerDropError) -> Bool {
        let source = spool.path(folder, file.name)
        guard let now = FileSystem.status(source), now.size == file.status.size, now.modified == file.status.modified, now.changed == file.status.changed else {
            return false
        }
        do {
            try FileSystem.moveNoReplace(source, path(file.name))
            return true
        } catch .missing {
            return false
        } catch .exists {
            return false
        } catch {
            throw LedgerDropError(.spoolUnavailable, "cannot claim \(source): \(error)")
        }
    }

    /// Takes over the claims of owners that are gone (SPEC §2.2): their files move into this
    /// owner's folder and are returned for the stage to finish, with what an earlier run of this
    /// same process left claimed (a `watch` pass that stopped). (Temp files of the dead are
    /// removed by `HandOff`, which every stage opens first.)
    func recoverStale(now: Int64) throws(LedgerDropError) -> [String] {
        var recovered: [String] = FileSystem.list(directory).filter { !Spool.isIgnored($0) }
        let base = spool.claims(stage)
        for folder in FileSystem.list(base) where folder != owner.folderName {
            let folderPath = "\(base)/\(folder)"
            guard let other = ClaimOwner(folderName: folder), let status = FileSystem.status(folderPath), status.isDirectory else { continue }
            if other.isAlive(folderModified: status.modified, now: now) { continue }
            for name in FileSystem.list(folderPath) {
                do {
                    try FileSystem.moveNoReplace("\(folderPath)/\(name)", path(name))
                    recovered.append(name)
                } catch .missing {
                    continue
                } catch .exists {
                    continue
                } catch {
                    throw LedgerDropError(.spoolUnavailable, "cannot recover claim \(folderPath)/\(name): \(error)")
                }
            }
            _ = FileSystem.removeDirectory(folderPath)
        }
        return recovered.sorted()
    }

    /// Every file name currently claimed by any owner of this stage.
    func allClaimedNames() -> Set<String> {
        var names = Set<String>()
        let base = spool.claims(stage)
        for folder in FileSystem.list(base) {
            for name in FileSystem.list("\(base)/\(folder)") { names.insert(name) }
        }
        return names
    }
}
