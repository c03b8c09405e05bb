// The reconcile benchmark (issue 12): a year of history — N reports approved evenly over the 365
// days to 2026-11-30, converted and posted against the X3 sandbox, all in Expensify's sandbox —
// then the release binary's `reconcile` over the last quarter, half and whole year (N/4, N/2, N
// reports, every one read back from X3 at x3.concurrency), timed, with its peak memory.
//
//     swift build -c release && swift run -c release ledgerdrop-bench reconcile [reports] [folder]
import Foundation
import LedgerDrop
import LedgerDropSandbox
import Logging

func reconcileBenchmark(_ positional: [String]) async throws {
    let count = positional.first.flatMap { Int($0) } ?? 50_000
    let base = positional.dropFirst().first ?? FileManager.default.currentDirectoryPath + "/.build/bench-reconcile"
    let binary = FileManager.default.currentDirectoryPath + "/.build/release/ledgerdrop"
    guard FileManager.default.isExecutableFile(atPath: binary) else { fatalError("build the release binary first: swift build -c release") }
    let fixtures = FileManager.default.currentDirectoryPath + "/fixtures"
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    // A year of reports: approved from 2025-12-01 to 2026-11-30, three expenses each.
    let last = Day("2026-11-30")!
    var texts: [String] = []
    for n in 0..<count {
        let approved = Day(epochDay: last.epochDay - 364 + n * 365 / count)
        let spent = Day(epochDay: approved.epochDay - 1)
        let amounts = [1000 + n % 9000, 2500 + (n * 7) % 4000, 990 + (n * 13) % 500]
        let expenses = amounts.enumerated().map { i, amount in
            #"{"transactionID":"\#(n)-\#(i)","created":"\#(spent)","merchant":"Merchant \#(i)","amount":\#(amount),"currency":"EUR","category":"\#(["Meals", "Airfare", "Taxi"][i])","reimbursable":true}"#
        }
        texts.append(#"{"reportID":"RY\#(String(n, radix: 36))","reportName":"Year report \#(n)","status":"Approved","policyID":"F0D3B1A2C4E5F607","policyName":"Acme EU","currency":"EUR","total":\#(amounts.reduce(0, +)),"submitted":"\#(spent) 18:00:00","approved":"\#(approved) 09:00:00","accountEmail":"jane.doe@acme.example","submitterPayrollID":"EMP-0042","submitterName":"Jane Doe","transactions":[\#(expenses.joined(separator: ","))]}"#)
    }

    var master = try X3MasterData.load(fixtures + "/x3-master.json")
    for index in master.periods.indices { master.periods[index].open = true }
    let secret = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    let x3 = try await X3Sandbox.start(master: master, ledgerFile: nil, credentials: .init(clientID: "bench", clientSecret: secret, user: "BENCH", password: "bench-password"))
    let expensify = try await ExpensifySandbox.start(reports: texts.flatMap { try! ExpensifyReport.parse(Array($0.utf8)) },
                                                     credentials: .init(partnerUserID: "bench", partnerUserSecret: secret), limits: [.init(requests: 50, per: .seconds(1))], renderPolls: 1)
    try? FileManager.default.removeItem(atPath: base)
    let spool = Spool(root: base)
    try spool.create()
    var text = try String(contentsOfFile: fixtures + "/ledgerdrop.yml", encoding: .utf8)
    text = text.replacingOccurrences(of: "url: http://127.0.0.1:8124", with: "url: \(x3.url)")
    // Expensify's limits raised in both sandbox and client: the runs measure reconcile, not waits.
    text += "\nexpensify:\n  url: \(expensify.url)\n  rateLimit: [\"50/1s\"]\n"
    try text.write(toFile: base + "/ledgerdrop.yml", atomically: true, encoding: .utf8)
    var configuration = try ConfigurationLoader(file: base + "/ledgerdrop.yml").load()
    print("ledgerdrop-bench reconcile: \(count) reports approved 2025-12-01 … 2026-11-30; reads at x3.concurrency \(configuration.x3.concurrency)")

    // History: converted, then posted at concurrency 16 (the reconciliation reads at the configured one).
    var started = now()
    for (n, report) in texts.enumerated() { try Data(report.utf8).write(to: URL(fileURLWithPath: spool.path(.inbox, "r\(n).json"))) }
    _ = try ConvertStage(spool: spool, configuration: configuration, options: .init(minimumAge: .zero), logger: logger).run()
    let converted = now() - started
    started = now()
    var posting = configuration
    posting.x3.concurrency = 16
    let credentials = X3Credentials(clientID: "bench", clientSecret: secret, user: "BENCH")
    let connection = try X3Connection(configuration: posting, credentials: credentials)
    let summary = try await PostStage(spool: spool, configuration: posting, transport: connection.transport, options: .init(minimumAge: .zero), logger: logger).run()
    await connection.shutdown()
    configuration = posting
    print(String(format: "history: converted in %.1f s, %d posted in %.1f s; audit.log %d lines", converted, summary.posted, now() - started,
                 (try? String(contentsOfFile: spool.auditLog, encoding: .utf8))?.split(separator: "\n").count ?? 0))

    // reconcile over the last quarter, half and whole year, each timed and its peak memory read.
    let environment = ["X3_CLIENT_ID": "bench", "X3_CLIENT_SECRET": secret, "X3_USER": "BENCH", "EXPENSIFY_PARTNER_USER_ID": "bench", "EXPENSIFY_PARTNER_USER_SECRET": secret,
                       "PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": base + "/.config"].merging(ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("MALLOC_") }) { $1 }
    for (label, days, offline) in [("quarter", 91, false), ("half", 182, false), ("year", 365, false), ("year", 365, true)] {
        let since = Day(epochDay: last.epochDay - days + 1)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "%e s %M KB", binary, "reconcile", "--since", since.description, "--until", last.description, "--format", "csv"] + (offline ? ["--offline"] : [])
        process.currentDirectoryURL = URL(fileURLWithPath: base)
        process.environment = environment
        let output = base + "/reconcile-\(label).csv"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let measured = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let rows = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\r\n").dropFirst()
        let reconciled = rows.filter { $0.contains("\",\"reconciled\",\"") }.count
        let figures = measured.split(separator: "\n").last.map(String.init) ?? measured
        let parts = figures.split(separator: " ")
        let seconds = Double(parts.first ?? "") ?? 0
        let megabytes = (Double(parts.dropFirst(2).first ?? "") ?? 0) / 1024
        print(String(format: "%@ %-7@ %6d reports (%6d reconciled), exit %d: %6.2f s, %6.1f µs per report, peak %5.0f MB",
                     offline ? "offline" : "online ", label, rows.count, reconciled, process.terminationStatus, seconds, seconds * 1e6 / Double(max(rows.count, 1)), megabytes))
    }
    await x3.stop()
    await expensify.stop()
}
