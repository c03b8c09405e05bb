// The convert benchmark: measures `convert` with full durability against the durable-write floor of
// SPEC §11 (the same payload bytes written as files and synced once), in the same run.
//
//     swift run -c release ledgerdrop-bench [reports] [folder]
//
// Defaults: 2000 reports of 10 lines (one date each), in ./.build/bench (on the disk the spool
// would use; /tmp may be memory).
import CFileSystem
import Foundation
import LedgerDrop
import Logging

/// `api`: the route whose payloads are written; by default the one `ledgerdrop init` writes.
func convertBenchmark(_ positional: [String], pure: Bool, batchSize: Int? = nil, api: String? = nil) throws {
    let count = positional.first.flatMap { Int($0) } ?? 2000
    let base = positional.dropFirst().first ?? FileManager.default.currentDirectoryPath + "/.build/bench"
    let fm = FileManager.default

    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// CPU time of the process so far (user, system), in seconds.
    func cpuTime() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    }

    /// Busy and idle jiffies of all CPUs (every process and kernel thread).
    func systemCPU() -> (busy: Double, idle: Double) {
        let line = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8))?.split(separator: "\n").first ?? ""
        let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard v.count >= 5 else { return (0, 0) }
        let idle = v[3] + v[4]
        return (v.reduce(0, +) - idle, idle)
    }

    func syncFilesystem(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        _ = ledgerdrop_syncfs(fd)
        close(fd)
    }

    func report(_ n: Int) -> String {
        let categories = ["Airfare", "Meals", "Mileage", "Meals", "Airfare"]
        var lines: [String] = []
        var total = 0
        for i in 0..<10 {
            let amount = 1000 + (n * 37 + i * 101) % 90000
            total += amount
            lines.append("""
                {"transactionID":"\(9_000_000_000_000_000_000 + n * 10 + i)","created":"2026-10-30","modifiedCreated":"",\
                "merchant":"Merchant \(i) & Co","modifiedMerchant":"","amount":\(amount),"modifiedAmount":0,"currency":"EUR",\
                "convertedAmount":\(amount),"currencyConversionRate":1,"category":"\(categories[i % 5])","categoryGlCode":"",\
                "tag":"\(i == 0 ? "PRJ-0042" : "")","tagGlCode":"","comment":"Trip PRJ-\(1000 + n % 9000)","reimbursable":\(i % 4 != 0),\
                "billable":false,"taxAmount":\(i == 1 ? amount / 6 : 0),"modifiedTaxAmount":0,"taxCode":"\(i == 1 ? "FR-VAT-20" : "")",\
                "taxName":"","receiptURL":""}
                """)
        }
        return """
            {"reportID":"RB\(String(n, radix: 36))","reportName":"Benchmark report \(n)","status":"Approved",\
            "policyID":"F0D3B1A2C4E5F607","policyName":"Acme EU","currency":"EUR","total":\(total),"created":"2026-10-30",\
            "submitted":"2026-11-01 09:12:00","approved":"2026-11-02 16:40:00","accountEmail":"jane.doe@acme.example",\
            "submitterPayrollID":"EMP-0042","submitterName":"Jane Doe","managerEmail":"boss@acme.example",\
            "transactions":[\(lines.joined(separator: ","))]}
            """
    }

    let configurationText = ExampleConfiguration.text
    var configuration = try ConfigurationLoader(file: "example").parse(configurationText)
    if let api {
        guard let route = Configuration.X3.API(rawValue: api) else { fatalError("--api must be import, soap, graphql or file") }
        configuration.x3.api = route
    }
    var logger = Logger(label: "bench")
    logger.logLevel = .error

    try? fm.removeItem(atPath: base)
    let spool = Spool(root: base + "/spool")
    try spool.create()
    for n in 0..<count {
        try Data(report(n).utf8).write(to: URL(fileURLWithPath: spool.path(.inbox, "report-\(n).json")))
    }
    syncFilesystem(base)
    print("ledgerdrop-bench: \(count) reports of 10 lines, one date each, route \(configuration.x3.api.rawValue), spool \(spool.root)")

    // The floor, measured once before and once after the conversion, with the payload bytes the
    // converter writes (rendered here without any file I/O).
    let converter = Converter(configuration: configuration)
    let renderer = PayloadRenderer(configuration: configuration)
    var payloads: [[UInt8]] = []
    let reportTexts = (0..<count).map { Array(report($0).utf8) }
    let pureTime = try seconds { payloads = try convertReportsWithoutIO(reportTexts, converter: converter, renderer: renderer) }
    if pure {
        // The instruction count (callgrind) wants the one pass alone.
        if CommandLine.arguments.contains("--one-core") {
            print(String(format: "conversion alone (parse, convert, render; no I/O): %.3f s", pureTime))
            return
        }
        let cpu0 = cpuTime()
        let parallel = seconds {
            DispatchQueue.concurrentPerform(iterations: (reportTexts.count + 63) / 64) { chunk in
                _ = try? convertReportsWithoutIO(Array(reportTexts[chunk * 64..<min(reportTexts.count, chunk * 64 + 64)]), converter: converter, renderer: renderer)
            }
        }
        let cpu1 = cpuTime()
        print(String(format: "conversion alone (parse, convert, render; no I/O): %.3f s; on every core %.3f s, CPU %.3f s user %.3f s system", pureTime, parallel, cpu1.user - cpu0.user, cpu1.system - cpu0.system))
        return
    }
    let payloadBytes = payloads.reduce(0) { $0 + $1.count }
    guard payloads.count == count else { print("error: the generated reports do not convert"); exit(1) }

    func floor(_ round: Int) throws -> Double {
        let folder = "\(base)/floor-\(round)"
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        syncFilesystem(base)
        return try seconds {
            for (i, bytes) in payloads.enumerated() {
                let fd = open("\(folder)/\(i).graphql.json", O_WRONLY | O_CREAT | O_EXCL, 0o644)
                guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
                _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
            syncFilesystem(folder)
        }
    }

    /// The file operations SPEC §2 requires of a convert run, with no conversion: claim each source by
    /// rename, read it, write its payload as a temp file, flush once, publish by rename, flush, move
    /// the source to archive/, flush. No implementation of the spool rules can be faster than this.
    func requiredOperations() throws -> Double {
        let folder = "\(base)/bound"
        for sub in ["inbox", "claim", "tmp", "outbox", "archive"] {
            try fm.createDirectory(atPath: "\(folder)/\(sub)", withIntermediateDirectories: true)
        }
        for n in 0..<count {
            let fd = open("\(folder)/inbox/\(n).json", O_WRONLY | O_CREAT, 0o644)
            _ = reportTexts[n].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        syncFilesystem(folder)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        return seconds {
            for n in 0..<count {
                _ = ledgerdrop_rename_noreplace("\(folder)/inbox/\(n).json", "\(folder)/claim/\(n).json")
                let input = open("\(folder)/claim/\(n).json", O_RDONLY)
                _ = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                close(input)
                let fd = open("\(folder)/tmp/\(n).tmp", O_WRONLY | O_CREAT | O_EXCL, 0o644)
                _ = payloads[n].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
            syncFilesystem(folder)
            for n in 0..<count { _ = ledgerdrop_rename_noreplace("\(folder)/tmp/\(n).tmp", "\(folder)/outbox/\(n).graphql.json") }
            syncFilesystem(folder)
            for n in 0..<count { _ = ledgerdrop_rename_noreplace("\(folder)/claim/\(n).json", "\(folder)/archive/\(n).json") }
            syncFilesystem(folder)
        }
    }

    let floorBefore = try floor(1)
    let sysBeforeBound = systemCPU()
    let cpuBeforeBound = cpuTime()
    let bound = try requiredOperations()
    let cpuBeforeConvert = cpuTime()
    let sysBeforeConvert = systemCPU()
    var summary: ConvertSummary? = nil
    let convertTime = try seconds {
        var options = ConvertStage.Options(minimumAge: .zero)
        if let batchSize { options.batchSize = batchSize }
        let stage = ConvertStage(spool: spool, configuration: configuration, options: options, logger: logger)
        summary = try stage.run()
    }
    let cpuAfterConvert = cpuTime()
    let sysAfterConvert = systemCPU()
    print(String(format: "  machine: bound busy %.2f s idle %.2f s; convert busy %.2f s idle %.2f s", (sysBeforeConvert.busy - sysBeforeBound.busy) / 100, (sysBeforeConvert.idle - sysBeforeBound.idle) / 100, (sysAfterConvert.busy - sysBeforeConvert.busy) / 100, (sysAfterConvert.idle - sysBeforeConvert.idle) / 100))
    let floorAfter = try floor(2)
    let floorTime = (floorBefore + floorAfter) / 2

    guard let summary, summary.files == count, summary.failedFiles == 0 else {
        print("error: not every report converted: \(String(describing: summary))")
        throw CocoaError(.featureUnsupported)
    }
    let rate = Double(count) / convertTime
    print(String(format: "payloads: %d files, %.1f KB", payloads.count, Double(payloadBytes) / 1024))
    print(String(format: "conversion alone (parse, convert, render; no I/O): %.3f s", pureTime))
    print(String(format: "convert (durable): %.3f s  →  %.0f reports/s", convertTime, rate))
    print(String(format: "  of which: reading + converting %.3f s, duplicate checks %.3f s, durable hand-off %.3f s",
                 Double(summary.timings.converting) / 1e9, Double(summary.timings.checkingDuplicates) / 1e9, Double(summary.timings.handingOff) / 1e9))
    print(String(format: "  CPU: convert %.3f s user + %.3f s system; required operations %.3f s user + %.3f s system",
                 cpuAfterConvert.user - cpuBeforeConvert.user, cpuAfterConvert.system - cpuBeforeConvert.system,
                 cpuBeforeConvert.user - cpuBeforeBound.user, cpuBeforeConvert.system - cpuBeforeBound.system))
    print(String(format: "durable-write floor (same bytes, one sync): %.3f s (runs: %.3f, %.3f)", floorTime, floorBefore, floorAfter))
    print(String(format: "required file operations alone (claim, read, write, publish, archive; no conversion): %.3f s = %.2f× floor", bound, bound / floorTime))
    print(String(format: "ratio convert / floor: %.2f×; convert / required operations: %.2f×", convertTime / floorTime, convertTime / bound))
    print(String(format: "targets: ≥ 1000 reports/s %@, ≤ 2× floor %@", rate >= 1000 ? "met" : "MISSED", convertTime / floorTime <= 2 ? "met" : "MISSED"))
    try? fm.removeItem(atPath: base)
}

/// Parse, convert and render, no file access: the CPU a report costs. Its own function, so that
/// `valgrind --tool=callgrind --toggle-collect='*convertReportsWithoutIO*'` counts it alone
/// (docs/performance.md).
@inline(never)
func convertReportsWithoutIO(_ reportTexts: [[UInt8]], converter: Converter, renderer: PayloadRenderer) throws -> [[UInt8]] {
    var payloads: [[UInt8]] = []
    for text in reportTexts {
        let file = ReportFile.read(text)
        for entry in file.entries {
            for journalEntry in converter.convert(entry.report).entries { payloads.append(try renderer.render(journalEntry).bytes) }
        }
    }
    return payloads
}
