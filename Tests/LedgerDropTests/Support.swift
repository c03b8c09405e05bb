import Foundation
@testable import LedgerDrop

/// Paths and loaders shared by the tests.
enum Fixtures {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    static var folder: String { packageRoot + "/fixtures" }

    static func configuration(api: Configuration.X3.API = .graphql) throws -> Configuration {
        var configuration = try ConfigurationLoader(file: folder + "/ledgerdrop.yml").load()
        if api != .graphql {
            configuration.x3.api = api
            configuration.x3.auth = .basic
        }
        return configuration
    }

    static func reportNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder + "/reports").filter { $0.hasSuffix(".json") }.sorted()
    }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        guard let bytes = FileSystem.contents(ofFileAt: folder + "/" + relativePath) else { throw CocoaError(.fileReadNoSuchFile) }
        return bytes
    }
}

/// A report built from a few fields, for rule tests.
func makeReport(currency: String = "EUR", email: String = "jane.doe@acme.example", payrollID: String = "EMP-0042",
                approved: String = "2026-11-02 16:40:00", _ transactions: [[String: Any]]) throws -> Report {
    var report: [String: Any] = [
        "reportID": "R1", "reportName": "Test report", "currency": currency, "accountEmail": email,
        "submitterPayrollID": payrollID, "submitterName": "Jane Doe", "approved": approved, "submitted": "2026-11-01 09:00:00",
    ]
    report["transactions"] = transactions.enumerated().map { index, fields -> [String: Any] in
        var t: [String: Any] = ["transactionID": "T\(index)", "created": "2026-10-30", "merchant": "Merchant \(index)",
                                "amount": 1000, "category": "Meals"]
        t.merge(fields) { $1 }
        return t
    }
    let data = try JSONSerialization.data(withJSONObject: report)
    let file = ReportFile.read(Array(data))
    guard let entry = file.entries.first, file.problems.isEmpty, entry.problems.isEmpty else {
        throw LedgerDropError(problems: file.problems + (file.entries.first?.problems ?? []))
    }
    return entry.report
}

/// A fresh folder under the system temp folder, removed by the caller.
func makeTemporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "ledgerdrop-tests-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A file's text (POSIX reads: Foundation leaks a buffer per empty file on Linux).
func readText(_ path: String) -> String {
    String(decoding: FileSystem.contents(ofFileAt: path) ?? [], as: UTF8.self)
}
