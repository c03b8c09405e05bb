import Foundation
import Testing
@testable import LedgerDrop

/// The documents people read must say what the code does.
@Suite("Docs agree with the code")
struct DocsTests {
    @Test func everyErrorCodeHasItsRemedyInTheDocs() throws {
        let text = try String(contentsOfFile: Fixtures.packageRoot + "/docs/error-codes.md", encoding: .utf8)
        for code in ErrorCode.allCases {
            #expect(text.contains("| `\(code.rawValue)` |") && text.contains(code.remedy), "\(code.rawValue)")
        }
    }

    @Test func theShippedSchemaFileIsTheOneValidated() throws {
        let path = Fixtures.packageRoot + "/docs/journal-entry.xsd"
        if ProcessInfo.processInfo.environment["LEDGERDROP_RECORD_GOLDEN"] == "1" {
            try (JournalEntrySchema.source + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == JournalEntrySchema.source + "\n")
    }
}
