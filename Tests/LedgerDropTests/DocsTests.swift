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

    @Test func everyVerdictOfReconcileIsExplained() throws {
        let text = try String(contentsOfFile: Fixtures.packageRoot + "/docs/reconcile.md", encoding: .utf8)
        for verdict in ReconcileVerdict.allCases {
            #expect(text.contains("| `\(verdict.rawValue)` |"), "\(verdict.rawValue)")
        }
    }
}
