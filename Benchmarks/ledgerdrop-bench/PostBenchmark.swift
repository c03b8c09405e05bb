// The post benchmark (SPEC §11): K payloads drained against the X3 sandbox answering in L ms, at
// concurrency 1, 4 and 16, against the ideal K·L/N.
//
//     swift run -c release ledgerdrop-bench post [payloads] [latency-ms]
import Foundation
import LedgerDrop
import LedgerDropSandbox
import Logging

func postBenchmark(_ positional: [String]) async throws {
    let count = positional.first.flatMap { Int($0) } ?? 1000
    let latency = positional.dropFirst().first.flatMap { Int($0) } ?? 50
    let fixtures = FileManager.default.currentDirectoryPath + "/fixtures"
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    print("ledgerdrop-bench post: \(count) payloads, the sandbox answering in \(latency) ms")
    for concurrency in [1, 4, 16] {
        let base = FileManager.default.currentDirectoryPath + "/.build/bench-post"
        try? FileManager.default.removeItem(atPath: base)
        let spool = Spool(root: base)
        try spool.create()
        for n in 0..<count {
            let report = #"{"reportID": "RB\#(n)", "currency": "EUR", "accountEmail": "jane.doe@acme.example", "transactions": [{"transactionID": "1", "created": "2026-10-30", "amount": \#(100 + n), "category": "Meals"}]}"#
            try Data(report.utf8).write(to: URL(fileURLWithPath: spool.path(.inbox, "r\(n).json")))
        }
        var configuration = try ConfigurationLoader(file: fixtures + "/ledgerdrop.yml").load()
        _ = try ConvertStage(spool: spool, configuration: configuration, options: .init(minimumAge: .zero), logger: logger).run()
        let secret = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let sandbox = try await X3Sandbox.start(master: try X3MasterData.load(fixtures + "/x3-master.json"), ledgerFile: nil,
                                                credentials: .init(clientID: "bench", clientSecret: secret, user: "BENCH", password: ""))
        await sandbox.state.setFaults(SandboxFaults(latencyMilliseconds: latency))
        configuration.x3.url = sandbox.url
        configuration.x3.concurrency = concurrency
        let connection = try X3Connection(configuration: configuration, credentials: X3Credentials(clientID: "bench", clientSecret: secret, user: "BENCH"))
        let stage = PostStage(spool: spool, configuration: configuration, transport: connection.transport, options: .init(minimumAge: .zero), logger: logger)
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try await stage.run()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        await connection.shutdown()
        let posted = await sandbox.state.ledger.count
        await sandbox.stop()
        let ideal = Double(count) * Double(latency) / 1000 / Double(concurrency)
        print(String(format: "concurrency %2d: %d posted (%d in X3) in %.2f s; K·L/N = %.2f s; ratio %.2f×",
                     concurrency, summary.posted, posted, elapsed, ideal, elapsed / ideal))
        try? FileManager.default.removeItem(atPath: base)
    }
}
