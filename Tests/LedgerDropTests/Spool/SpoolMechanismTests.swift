import Foundation
import Testing
@testable import LedgerDrop

/// The spool's own pieces on a real folder: readiness, the hand-off and its reservations,
/// claims, the audit log and its reader.
@Suite("Spool mechanism")
struct SpoolMechanismTests {
    let root = makeTemporaryFolder()
    var spool: Spool { Spool(root: root) }

    func write(_ folder: Spool.Folder, _ name: String, _ text: String = "{}") throws {
        try spool.prepare()
        try text.write(toFile: spool.path(folder, name), atomically: false, encoding: .utf8)
    }

    func setModified(_ path: String, secondsFromNow: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(secondsFromNow)], ofItemAtPath: path)
    }

    @Test func aCopyThatKeptAFutureDateIsReadyOnceLeftAlone() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(.inbox, "copied.json")
        try setModified(spool.path(.inbox, "copied.json"), secondsFromNow: 4 * 365 * 86_400)
        let now = Timestamp.now()
        #expect(spool.readyFiles(in: .inbox, minimumAge: .seconds(2), now: now).waiting == 1, "just copied: not yet")
        let later = spool.readyFiles(in: .inbox, minimumAge: .seconds(2), now: now + 3_000_000_000)
        #expect(later.ready.map(\.name) == ["copied.json"], "not too new forever")
    }

    @Test func aFileWhoseSizeIsStillChangingIsNeverReady() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(.inbox, "growing.json", "[")
        let path = spool.path(.inbox, "growing.json")
        // A copier that stamps the original (old) date first and writes the data after.
        try setModified(path, secondsFromNow: -86_400)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{}".utf8))
        try handle.close()
        try setModified(path, secondsFromNow: -86_400)
        let listed = spool.readyFiles(in: .inbox, minimumAge: .seconds(2), now: Timestamp.now())
        #expect(listed.ready.isEmpty && listed.waiting == 1, "the old date does not make a file being written ready")
    }

    @Test func aSpoolFolderThatDoesNotExistIsAnErrorAndCreateMakesIt() throws {
        let missing = Spool(root: root + "/not-yet")
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect { try missing.prepare() } throws: { ($0 as? LedgerDropError)?.code == .configInvalid }
        #expect(!FileManager.default.fileExists(atPath: missing.root))
        try missing.create()
        #expect(FileManager.default.fileExists(atPath: missing.path(.outbox)))
    }

    @Test func aFolderThatCannotBeMadeFailsWithoutEndlessRecursion() {
        #expect(throws: FileSystem.Failure.self) { try FileSystem.makeDirectory("/proc/1/ledgerdrop/a/b") }
    }

    @Test func aReservationIsFilledInPlaceAndCloseRemovesWhatWasNeverPlaced() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try spool.prepare()
        let handOff = try HandOff(spool: spool)
        let reservation = try handOff.reserve(4096)
        #expect(FileSystem.status(reservation.path)?.size == 4096)
        let staged = try handOff.fill(reservation, with: Array("receipt".utf8))
        try handOff.place(staged, at: spool.path(.done, "R.receipt.json"), replace: false)
        #expect(try String(contentsOfFile: spool.path(.done, "R.receipt.json"), encoding: .utf8) == "receipt")
        _ = try handOff.reserve(4096)
        _ = try handOff.stage(Array("never placed".utf8))
        handOff.close()
        #expect(FileSystem.list(spool.temporary).isEmpty, "no temp file left behind to fill a disk")
    }

    @Test func claimsAnEarlierRunOfThisProcessLeftAreRecovered() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(.outbox, "R1.graphql.json")
        let claims = ClaimArea(spool: spool, stage: .post)
        try claims.open()
        let listed = try #require(spool.readyFiles(in: .outbox, minimumAge: .zero, now: Timestamp.now()).ready.first)
        #expect(try claims.claim(listed, from: .outbox))
        #expect(try claims.recoverStale(now: Timestamp.now()) == ["R1.graphql.json"], "a watch pass that stopped left it: the next pass looks it up")
    }

    @Test func aFileChangedSinceItWasListedIsNotClaimed() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(.inbox, "r.json")
        let listed = try #require(spool.readyFiles(in: .inbox, minimumAge: .zero, now: Timestamp.now()).ready.first)
        try "{\"more\": 1}".write(toFile: spool.path(.inbox, "r.json"), atomically: false, encoding: .utf8)
        let claims = ClaimArea(spool: spool, stage: .convert)
        try claims.open()
        #expect(try !claims.claim(listed, from: .inbox))
    }

    @Test func eachAuditEventIsOneLineAndTornLinesAreNamed() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try spool.prepare()
        var event = AuditEvent(at: "2026-12-01T00:00:00.000Z", event: .posted, stage: .post, run: "r")
        event.reportID = "R1"
        event.message = "line\nbreak"
        try AuditLog(spool: spool).append([event, event])
        var text = try String(contentsOfFile: spool.auditLog, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2, "a newline in a message is escaped")
        text += "{\"at\":\"2026-12-01\",\"event\":\"pos\n" + text.split(separator: "\n")[0] + "\n{\"at\":\"2026-12-01T00:00:01.000Z\",\"ev"
        try text.write(toFile: spool.auditLog, atomically: false, encoding: .utf8)
        let report = AuditReport.read(spool)
        #expect(report.tornLines == [3, 5])
        #expect(report.rows.map(\.reportID) == ["R1"])
    }

    @Test func fileSystemFailuresSpeakPlainWords() {
        #expect("\(FileSystem.Failure.other("cannot write x: No space left on device"))" == "cannot write x: No space left on device")
        #expect(!"\(FileSystem.Failure.exists)".contains("exists)"))
    }
}
