import Foundation
import Testing
@testable import LedgerDrop

/// Every fixture report against its expected payloads, in every format, byte for byte.
/// `LEDGERDROP_RECORD_GOLDEN=1 swift test` rewrites the expected files; review them as a diff.
@Suite("Golden payloads")
struct GoldenPayloadTests {
    static let names = (try? Fixtures.reportNames()) ?? []
    static let recording = ProcessInfo.processInfo.environment["LEDGERDROP_RECORD_GOLDEN"] == "1"

    @Test func thereAreEnoughFixtures() {
        #expect(Self.names.count >= 15)
    }

    @Test(arguments: names, PayloadFormat.allCases)
    func matchesExpected(name: String, format: PayloadFormat) throws {
        let configuration = try Fixtures.configuration(api: format.route)
        let conversion = FileConversion.convert(
            name: name, bytes: try Fixtures.bytes("reports/\(name)"),
            converter: Converter(configuration: configuration), renderer: PayloadRenderer(configuration: configuration)
        )
        guard case .converted(let payloads) = conversion.outcome else {
            Issue.record("\(name) did not convert: \(conversion.outcome)")
            return
        }
        #expect(conversion.entries.allSatisfy { $0.isBalanced })
        let folder = "\(Fixtures.folder)/expected/\(name.replacingOccurrences(of: ".json", with: ""))"
        if Self.recording {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for payload in payloads {
                try Data(payload.bytes).write(to: URL(fileURLWithPath: "\(folder)/\(payload.fileName)"))
            }
        }
        let expected = try FileManager.default.contentsOfDirectory(atPath: folder).filter { PayloadFormat(fileName: $0) == format }.sorted()
        #expect(payloads.map(\.fileName).sorted() == expected)
        for payload in payloads {
            let golden = try Fixtures.bytes("expected/\(name.replacingOccurrences(of: ".json", with: ""))/\(payload.fileName)")
            #expect(payload.bytes == golden, "\(payload.fileName) differs from its golden file")
        }
    }
}

extension PayloadFormat {
    /// The route that writes this format (`file` writes the same records as `import`).
    var route: Configuration.X3.API {
        switch self {
        case .graphql: .graphql
        case .xml: .soap
        case .importRecords: .import
        }
    }
}
