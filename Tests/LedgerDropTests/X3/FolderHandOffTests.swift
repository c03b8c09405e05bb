import Foundation
import Testing
@testable import LedgerDrop

/// The `file` route's hand-off (SPEC §13.2): atomic in the folder X3 loads from, never replacing a
/// file, and found again by the folder or, once loaded, by X3.
@Suite("Handing import files to x3.handoff.folder")
struct FolderHandOffTests {
    /// X3 as a lookup only: it holds what `entries` says.
    struct StockX3: X3Transport {
        var entries: [X3Entry] = []
        var down = false
        func post(_ payload: PayloadFile) async -> PostOutcome { .systemic(LedgerDropError(.x3Rejected, "the file route never posts to X3")) }
        func lookup(_ payload: PayloadFile) async throws(LookupFailure) -> [X3Entry] {
            if down { throw LookupFailure(outcome: .retryable(reason: "down", cause: .unreachable, reply: "")) }
            return entries
        }
    }

    static func payload() throws -> PayloadFile {
        try PayloadFile.read(fileName: "R00I7J3xs5fn.import.txt", bytes: try Fixtures.bytes("import/01-paris-client-visit.import.txt"), x3: try Fixtures.configuration(api: .import).x3)
    }

    @Test func aHandOffIsTheWholeFileUnderItsNameAndNothingElse() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let payload = try Self.payload()
        let outcome = await FolderHandOff(folder: folder, stock: nil).post(payload)
        guard case .posted(let entry, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(entry.entryNumber.isEmpty && entry.entryType == "ODT")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["R00I7J3xs5fn.import.txt"])
        #expect(FileSystem.contents(ofFileAt: folder + "/R00I7J3xs5fn.import.txt") == payload.bytes)
        // Handed off again (a run that stopped before its receipt): the same file is the hand-off.
        guard case .posted = await FolderHandOff(folder: folder, stock: nil).post(payload) else { Issue.record("not recognised"); return }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1)
    }

    @Test func tempFilesOfDeadProcessesGoAndThoseOfLiveOnesStay() throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let handOff = FolderHandOff(folder: folder, stock: nil)
        let dead = handOff.temporaryPath(for: "R1.import.txt", owner: ClaimOwner(host: ClaimOwner.current.host, pid: 999_999, startTime: 1))
        let alive = handOff.temporaryPath(for: "R2.import.txt")
        let dotted = handOff.temporaryPath(for: "R3.import.txt", owner: ClaimOwner(host: "x3.acme.example", pid: 1, startTime: 1))
        for path in [dead, alive, dotted] { try FileSystem.create(path, bytes: [1]) }
        try FileSystem.create(folder + "/.hidden-by-someone-else.tmp", bytes: [1])
        handOff.removeTemporaryFilesOfDeadOwners()
        #expect(!FileSystem.exists(dead), "a dead process's temp file goes")
        #expect(FileSystem.exists(alive) && FileSystem.exists(dotted), "ours, and another host's until its timeout, stay")
        #expect(FileSystem.exists(folder + "/.hidden-by-someone-else.tmp"), "what is not ours is never touched")
    }

    @Test func aDifferentFileOfTheSameNameIsNeverReplaced() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileSystem.create(folder + "/R00I7J3xs5fn.import.txt", bytes: Array("G;other\r\n".utf8))
        let outcome = await FolderHandOff(folder: folder, stock: nil).post(try Self.payload())
        guard case .rejected(let error, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(error.code == .duplicateReport)
        #expect(FileSystem.contents(ofFileAt: folder + "/R00I7J3xs5fn.import.txt") == Array("G;other\r\n".utf8))
    }

    @Test func aFolderThatCannotTakeFilesStopsTheRun() async throws {
        let outcome = await FolderHandOff(folder: "/nonexistent/ledgerdrop-handoff", stock: nil).post(try Self.payload())
        guard case .systemic(let error) = outcome else { Issue.record("\(outcome)"); return }
        #expect(error.code == .spoolUnavailable)
    }

    @Test func theLookupAsksX3FirstThenTheFolder() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let payload = try Self.payload()
        let loaded = X3Entry(entryType: "ODT", entryNumber: "ODT-FR011-2026-000001")
        #expect(try await FolderHandOff(folder: folder, stock: nil).lookup(payload).isEmpty, "not handed off, no X3 to ask")
        #expect(try await FolderHandOff(folder: folder, stock: StockX3(entries: [loaded])).lookup(payload) == [loaded], "loaded and moved away")
        _ = await FolderHandOff(folder: folder, stock: nil).post(payload)
        #expect(try await FolderHandOff(folder: folder, stock: StockX3()).lookup(payload).map(\.entryNumber) == [""], "waiting in the folder")
        #expect(try await FolderHandOff(folder: folder, stock: StockX3(entries: [loaded])).lookup(payload) == [loaded], "loaded, the file left in place")
        #expect(try await FolderHandOff(folder: folder, stock: StockX3(down: true)).lookup(payload).map(\.entryNumber) == [""], "X3 down: the folder still proves it")
        try FileManager.default.removeItem(atPath: folder + "/R00I7J3xs5fn.import.txt")
        await #expect(throws: LookupFailure.self) { try await FolderHandOff(folder: folder, stock: StockX3(down: true)).lookup(payload) }
    }
}
