import Foundation
import Testing
@testable import LedgerDrop

/// The one hand-off every stage commits through: its fixed order, seen on a real folder at each
/// step; a clash taking the item's alternative; and a dead process's journal giving back the
/// audit lines of outputs it placed but never logged.
@Suite("Spool transaction")
struct SpoolTransactionTests {
    let root = makeTemporaryFolder()
    var spool: Spool { Spool(root: root) }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
    func auditLines() -> [String] {
        ((try? String(contentsOfFile: spool.auditLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
    func temporaryFiles() -> [String] {
        (FileManager.default.subpaths(atPath: spool.temporary) ?? []).filter { $0.hasSuffix(".tmp") || $0.hasSuffix(HandOff.journalSuffix) }
    }

    /// A claimed report becomes a payload in outbox/, its source moves to archive/, a mark goes.
    func transaction(claim: String) throws -> SpoolTransaction {
        try spool.create()
        let mark = spool.state + "/mark"
        try Data().write(to: URL(fileURLWithPath: mark))
        var event = AuditEvent(at: "2026-12-01T00:00:00Z", event: .converted, stage: .convert, run: "t")
        event.entryKey = "R1"
        var transaction = SpoolTransaction(label: "test", items: [.init(
            outputs: [.init(content: .bytes(Array("payload".utf8)), destination: spool.path(.outbox, "R1.graphql.json"))],
            events: [event],
            moves: [.init(from: claim, directory: spool.path(.archive), name: "r1.json")],
            removals: [mark])])
        transaction.journaled = true
        return transaction
    }

    @Test func eachStepFindsTheFolderInTheStateTheOrderPromises() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let claims = ClaimArea(spool: spool, stage: .convert)
        let transaction = try transaction(claim: claims.path("r1.json"))
        try claims.open()
        try Data("{}".utf8).write(to: URL(fileURLWithPath: claims.path("r1.json")))
        let handOff = try HandOff(spool: spool)
        defer { handOff.close() }
        let payload = spool.path(.outbox, "R1.graphql.json")
        var seen: [SpoolTransaction.Step] = []
        try transaction.commit(handOff, audit: AuditLog(spool: spool)) { step in
            seen.append(step)
            let placed = exists(payload), claimed = exists(claims.path("r1.json")), logged = auditLines().count == 1
            switch step {
            case .claimed:
                #expect(!placed && claimed && !logged && temporaryFiles().isEmpty, "nothing written yet")
            case .staged, .halfPlaced:
                #expect(!placed && claimed && !logged)
                #expect(temporaryFiles().count == 2, "the payload and the journal, staged: \(temporaryFiles())")
            case .placed:
                #expect(placed && claimed && !logged, "placed and flushed before anything is logged")
            case .audited, .halfMoved:
                #expect(placed && claimed && logged, "logged before the source moves")
                #expect(temporaryFiles().isEmpty, "the journal is retired once its lines are in audit.log")
            case .moved:
                #expect(placed && !claimed && logged)
                #expect(exists(spool.path(.archive, "r1.json")) && !exists(spool.state + "/mark"))
            }
        }
        #expect(seen == [.claimed, .staged, .halfPlaced, .placed, .audited, .halfMoved, .moved])
        #expect(try String(contentsOfFile: payload, encoding: .utf8) == "payload")
    }

    @Test func aClashTakesBackTheItemsOutputsAndCommitsItsAlternative() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try spool.create()
        try Data("theirs".utf8).write(to: URL(fileURLWithPath: spool.path(.outbox, "B.json")))
        let handOff = try HandOff(spool: spool)
        defer { handOff.close() }
        var event = AuditEvent(at: "2026-12-01T00:00:00Z", event: .converted, stage: .convert, run: "t")
        event.message = "first choice"
        var alternative = event
        alternative.event = .failed
        alternative.message = "alternative"
        let fallback = alternative
        let item = SpoolTransaction.Item(
            outputs: [.init(content: .bytes(Array("a".utf8)), destination: spool.path(.outbox, "A.json")),
                      .init(content: .bytes(Array("b".utf8)), destination: spool.path(.outbox, "B.json"))],
            events: [event],
            onClash: { [spool] clash in
                #expect(clash.hasSuffix("/outbox/B.json"))
                return .init(outputs: [.init(content: .bytes(Array("why".utf8)), destination: spool.path(.failed, "x.error.json"))], events: [fallback])
            })
        let progress = try SpoolTransaction(label: "test", items: [item]).commit(handOff, audit: AuditLog(spool: spool))
        #expect(progress.clashed == [0])
        #expect(!exists(spool.path(.outbox, "A.json")), "the item's own output is taken back")
        #expect(try String(contentsOfFile: spool.path(.outbox, "B.json"), encoding: .utf8) == "theirs", "the other run's file is kept")
        #expect(exists(spool.path(.failed, "x.error.json")))
        #expect(auditLines().count == 1 && auditLines()[0].contains("alternative"))
        #expect(temporaryFiles().isEmpty)
    }

    @Test func theJournalOfADeadProcessGivesBackTheLinesOfWhatItPlaced() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try spool.create()
        // A process that died after placing R1's payload (not R2's) and before logging either.
        let dead = ClaimOwner(host: ClaimOwner.current.host, pid: 999_999, startTime: 1)
        let handOff = try HandOff(spool: spool, owner: dead)
        var events: [(lines: [[UInt8]], requires: [String])] = []
        for key in ["R1", "R2"] {
            var event = AuditEvent(at: "2026-12-01T00:00:00Z", event: .fetched, stage: .fetch, run: "dead")
            event.reportID = key
            events.append(([event.line], [spool.path(.inbox, key + ".json")]))
        }
        _ = try handOff.journal(events)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: spool.path(.inbox, "R1.json")))
        // The next process to open a hand-off finds the dead one's journal.
        let next = try HandOff(spool: spool)
        defer { next.close() }
        #expect(auditLines().count == 1)
        #expect(auditLines().first?.contains(#""reportID":"R1""#) == true)
        #expect(temporaryFiles().isEmpty, "the dead process's temp files are gone")
    }
}
