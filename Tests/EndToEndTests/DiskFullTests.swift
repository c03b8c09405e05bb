import Foundation
import LedgerDrop
import LedgerDropSandbox
import Testing

/// A small ext4 file system in a loop file, mounted for one test (needs root, as CI runs).
struct LoopFileSystem {
    let image: String
    let mountPoint: String

    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/sbin/mkfs.ext4") && FileManager.default.isExecutableFile(atPath: "/bin/mount")
    }

    static func make(megabytes: Int) throws -> LoopFileSystem {
        let base = NSTemporaryDirectory() + "ledgerdrop-loop-" + UUID().uuidString
        let fs = LoopFileSystem(image: base + ".img", mountPoint: base)
        try FileManager.default.createDirectory(atPath: fs.mountPoint, withIntermediateDirectories: true)
        try shell("/usr/bin/truncate", "-s", "\(megabytes)M", fs.image)
        // -m 0: no blocks kept for root, so "full" means full for the root user too.
        try shell("/sbin/mkfs.ext4", "-q", "-F", "-m", "0", fs.image)
        try shell("/bin/mount", "-o", "loop", fs.image, fs.mountPoint)
        return fs
    }

    func remove() {
        _ = try? Self.shell("/bin/umount", mountPoint)
        try? FileManager.default.removeItem(atPath: mountPoint)
        try? FileManager.default.removeItem(atPath: image)
    }

    var freeBytes: Int64 {
        var st = statvfs()
        guard statvfs(mountPoint, &st) == 0 else { return 0 }
        return Int64(st.f_bavail) * Int64(st.f_frsize)
    }

    /// Fills the file system until `leave` bytes are free (a filler file, removed by `unfill`).
    func fill(leaving leave: Int64) throws {
        let path = mountPoint + "/filler"
        let handle = try FileHandle(forWritingTo: { _ = FileManager.default.createFile(atPath: path, contents: nil); return URL(fileURLWithPath: path) }())
        defer { try? handle.close() }
        let chunk = Data(count: 64 << 10)
        while freeBytes - Int64(chunk.count) > leave { try handle.write(contentsOf: chunk) }
        while freeBytes - 4096 > leave { try handle.write(contentsOf: Data(count: 4096)) }
        try handle.synchronize()
    }

    func unfill() { try? FileManager.default.removeItem(atPath: mountPoint + "/filler") }

    /// A spool folder's visible file names.
    func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: mountPoint + "/" + folder)) ?? []).filter { !$0.hasPrefix(".") }
    }

    /// Files under `.ledgerdrop/<folder>` whose names end in `suffix` (claims, temp files).
    func privateFiles(in folder: String, endingIn suffix: String) -> [String] {
        FileManager.default.enumerator(atPath: mountPoint + "/.ledgerdrop/" + folder)?.allObjects.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) } ?? []
    }

    @discardableResult
    static func shell(_ arguments: String...) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["command": arguments.joined(separator: " ")]) }
        return process.terminationStatus
    }
}

extension EndToEnd {
    /// The disk fills while posting: X3 may have accepted entries whose receipts cannot be
    /// written. After space is freed, one more `post` leaves every entry in X3 exactly once.
    @Suite("A full disk while posting", .serialized, .enabled(if: LoopFileSystem.available, "needs root to mount a loop file system"))
    struct DiskFullTests {
        static let payloads = 300

        /// Free space left before `post`, in KB: none, a few receipts' worth, a few dozen, many.
        @Test(arguments: [0, 48, 160, 900])
        func everyEntryExactlyOnceAfterSpaceIsFreed(freeKB: Int) async throws {
            let harness = try await SandboxHarness.start(retries: 2)
            let fs = try LoopFileSystem.make(megabytes: 24)
            defer {
                fs.remove()
                Task { await harness.stop() }
            }
            let spool = ["--spool", fs.mountPoint]
            for index in 0..<Self.payloads {
                let id = String(format: "RDISK%05d", index)
                try #"{"reportID": "\#(id)", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": \#(1000 + index), "category": "Meals"}]}"#
                    .write(toFile: fs.mountPoint + "/inbox-\(id).json", atomically: false, encoding: .utf8)
            }
            try FileManager.default.createDirectory(atPath: fs.mountPoint + "/inbox", withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: fs.mountPoint) where name.hasPrefix("inbox-") {
                try FileManager.default.moveItem(atPath: fs.mountPoint + "/" + name, toPath: fs.mountPoint + "/inbox/" + name.dropFirst(6))
            }
            let convert = try await harness.run(["convert"] + spool)
            #expect(convert.status == 0, "\(convert.stderr.suffix(500))")

            try fs.fill(leaving: Int64(freeKB) << 10)
            let full = try await harness.run(["post"] + spool)
            let postedWhileFull = try harness.ledger().count
            if full.status != 0 {
                #expect(full.status == 3 && full.stderr.contains("SPOOL_UNAVAILABLE"), "\(full.stderr.suffix(800))")
            }
            let receiptsWhileFull = Self.receipts(fs)

            fs.unfill()
            let again = try await harness.run(["post"] + spool)
            #expect(again.status == 0, "\(again.stderr.suffix(800))")
            let ledger = try harness.ledger()
            #expect(ledger.count == Self.payloads, "every entry in X3…")
            #expect(Set(ledger.map(\.reference)).count == Self.payloads, "…exactly once")
            #expect(Self.receipts(fs) == Self.payloads)
            let left = try FileManager.default.contentsOfDirectory(atPath: fs.mountPoint + "/outbox")
            #expect(left.isEmpty, "\(left.prefix(5))")
            let claims = fs.privateFiles(in: "claims", endingIn: ".json")
            #expect(claims.isEmpty, "\(claims.prefix(5))")
            let temp = fs.privateFiles(in: "tmp", endingIn: ".tmp")
            #expect(temp.isEmpty, "no temp file left to keep the disk full")
            print("disk full at \(freeKB) KB free: exit \(full.status), \(postedWhileFull) in X3 and \(receiptsWhileFull) receipts while full; \(ledger.count) in X3 after space was freed")
        }

        /// X3 accepts, the receipt cannot be placed (an immutable done/): the claim stays, X3's
        /// number goes to stderr and the audit log, and the next post records it without
        /// posting again.
        @Test func aReceiptThatCannotBePlacedLeavesTheClaimForTheNextRun() async throws {
            let harness = try await SandboxHarness.start(retries: 1)
            let fs = try LoopFileSystem.make(megabytes: 8)
            defer {
                _ = try? LoopFileSystem.shell("/usr/bin/chattr", "-i", fs.mountPoint + "/done")
                fs.remove()
                Task { await harness.stop() }
            }
            let spool = ["--spool", fs.mountPoint]
            try FileManager.default.createDirectory(atPath: fs.mountPoint + "/inbox", withIntermediateDirectories: true)
            try #"{"reportID": "RLOCKED", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#
                .write(toFile: fs.mountPoint + "/inbox/locked.json", atomically: false, encoding: .utf8)
            #expect(try await harness.run(["convert"] + spool).status == 0)
            try FileManager.default.createDirectory(atPath: fs.mountPoint + "/done", withIntermediateDirectories: true)
            try LoopFileSystem.shell("/usr/bin/chattr", "+i", fs.mountPoint + "/done")
            let locked = try await harness.run(["post"] + spool)
            #expect(locked.status == 3, "\(locked.stderr)")
            let number = try #require(try harness.ledger().first?.entryNumber)
            #expect(locked.stderr.contains(number), "X3's entry number is on stderr")
            let audit = try String(contentsOfFile: fs.mountPoint + "/audit.log", encoding: .utf8)
            #expect(audit.contains(number) && audit.contains("receipt cannot be written"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: fs.mountPoint + "/outbox").isEmpty, "nothing X3 accepted goes back to outbox/")
            try LoopFileSystem.shell("/usr/bin/chattr", "-i", fs.mountPoint + "/done")
            let again = try await harness.run(["post"] + spool)
            #expect(again.status == 0 && again.stdout.contains("found already posted 1"), "\(again.stdout)\(again.stderr)")
            #expect(try harness.ledger().count == 1)
            #expect(Self.receipts(fs) == 1)
        }

        /// Convert on a disk that fills: the stop leaves the inbox as it was (claims returned, temp
        /// files gone), and once space is freed every report converts once, none as a duplicate.
        @Test(arguments: [16, 128])
        func convertReturnsItsClaimsAndLeavesNoTempFiles(freeKB: Int) async throws {
            let fs = try LoopFileSystem.make(megabytes: 16)
            let spool = try TemporarySpool()
            defer {
                fs.remove()
                spool.remove()
            }
            try FileManager.default.createDirectory(atPath: fs.mountPoint + "/inbox", withIntermediateDirectories: true)
            for index in 0..<Self.payloads {
                try #"{"reportID": "RCONV\#(index)", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": 1000, "category": "Meals"}]}"#
                    .write(toFile: fs.mountPoint + "/inbox/r\(index).json", atomically: false, encoding: .utf8)
            }
            try fs.fill(leaving: Int64(freeKB) << 10)
            let full = try await Binary.run(["convert", "--spool", fs.mountPoint, "--batch-size", "50"], in: spool.root)
            #expect(full.status == 3 && full.stderr.contains("SPOOL_UNAVAILABLE"), "\(full.status) \(full.stderr.suffix(400))")
            let claimed = fs.privateFiles(in: "claims", endingIn: ".json")
            let temp = fs.privateFiles(in: "tmp", endingIn: ".tmp")
            #expect(temp.isEmpty, "no temp file keeps the disk full")
            #expect(fs.names("inbox").count + fs.names("archive").count + claimed.count == Self.payloads, "every report in one place")
            #expect(fs.names("failed").isEmpty, "a full disk fails no report")
            fs.unfill()
            let again = try await Binary.run(["convert", "--spool", fs.mountPoint], in: spool.root)
            #expect(again.status == 0, "\(again.stderr.suffix(400))")
            #expect(fs.names("archive").count == Self.payloads && fs.names("outbox").count == Self.payloads && fs.names("failed").isEmpty)
            print("convert on a full disk at \(freeKB) KB free: \(claimed.count) left claimed; all \(Self.payloads) converted once space was freed")
        }

        static func receipts(_ fs: LoopFileSystem) -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: fs.mountPoint + "/done")) ?? []).filter { $0.hasSuffix(".receipt.json") }.count
        }
    }
}
