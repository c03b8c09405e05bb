import Testing
@testable import LedgerDrop

/// One report's verdict from the three sides, each side a plain value.
@Suite("Verdicts of reconcile")
struct ReportJudgementTests {
    static let h1 = ReportContent.Digest(hex: String(repeating: "1", count: 32))
    static let h2 = ReportContent.Digest(hex: String(repeating: "2", count: 32))

    static func spool(_ entries: [SpoolSide.Entry] = [.init(key: "R1", place: .done)], hash: ReportContent.Digest? = h1, waiting: String = "",
                      failure: SpoolSide.Failure? = nil) -> SpoolSide.Report {
        var report = SpoolSide.Report(reportID: "R1")
        report.approved = Day("2026-11-02")
        report.digest = hash
        report.entries = entries
        report.waiting = waiting
        report.failure = failure
        return report
    }

    static let approved = ReportJudgement.ExpensifyAnswer.report(.init(state: "APPROVED", approved: Day("2026-11-02"), digest: h1))
    static func x3(_ check: X3Side.Check, key: String = "R1") -> [String: X3Side.Answer] {
        [key: X3Side.Answer(key: key, check: check, number: "ODT-1", company: "")]
    }
    static let failure = SpoolSide.Failure(code: "UNMAPPED_CATEGORY", message: "category Gifts", remedy: "Add the category", file: "failed/R1.json")

    @Test(arguments: [
        (name: "as posted, as approved", spool: spool() as SpoolSide.Report?, expensify: approved, x3: x3(.same), verdict: ReconcileVerdict.reconciled),
        (name: "only Expensify knows it", spool: nil, expensify: approved, x3: [:], verdict: .missingInSpool),
        (name: "in failed/", spool: spool([], failure: failure), expensify: approved, x3: [:], verdict: .failed),
        (name: "in inbox/", spool: spool([], waiting: "inbox/R1.json"), expensify: approved, x3: [:], verdict: .waiting),
        (name: "in outbox/", spool: spool([.init(key: "R1", place: .outbox)]), expensify: approved, x3: [:], verdict: .waiting),
        (name: "handed off, not loaded", spool: spool(), expensify: approved, x3: x3(.notLoaded), verdict: .waiting),
        (name: "gone from X3", spool: spool(), expensify: approved, x3: x3(.missing), verdict: .missingInX3),
        (name: "changed in X3", spool: spool(), expensify: approved, x3: x3(.different(["625700 debit: posted 100.00, X3 has 90.00"])), verdict: .differentInX3),
        (name: "reopened in Expensify", spool: spool(), expensify: .report(.init(state: "OPEN", approved: nil, digest: h1)), x3: x3(.same), verdict: .notApproved),
        (name: "deleted in Expensify", spool: spool(), expensify: .absent, x3: x3(.same), verdict: .notApproved),
        (name: "edited in Expensify", spool: spool(), expensify: .report(.init(state: "REIMBURSED", approved: Day("2026-11-02"), digest: h2)), x3: x3(.same), verdict: .changedInExpensify),
        (name: "offline", spool: spool(), expensify: .notAsked("--offline"), x3: x3(.notAsked("--offline")), verdict: .postedNotChecked),
        (name: "converted before hashes", spool: spool(hash: nil), expensify: approved, x3: x3(.same), verdict: .postedNotChecked),
        (name: "gone from X3 and edited in Expensify", spool: spool(), expensify: .report(.init(state: "APPROVED", approved: nil, digest: h2)), x3: x3(.missing), verdict: .missingInX3),
    ])
    func theFirstThatHoldsIsTheVerdict(_ example: (name: String, spool: SpoolSide.Report?, expensify: ReportJudgement.ExpensifyAnswer, x3: [String: X3Side.Answer], verdict: ReconcileVerdict)) {
        let row = ReportJudgement(reportID: "R1", spool: example.spool, expensify: example.expensify, x3: example.x3).row
        #expect(row.verdict == example.verdict, "\(example.name): \(row.details)")
        #expect(row.verdict.needsAttention == ![.reconciled, .postedNotChecked].contains(example.verdict))
    }

    @Test func whatElseHoldsIsSaidAndAFailureCarriesItsCodeAndRemedy() {
        let both = ReportJudgement(reportID: "R1", spool: Self.spool(), expensify: .report(.init(state: "APPROVED", approved: nil, digest: Self.h2)), x3: Self.x3(.missing)).row
        #expect(both.details.first == "X3 has no entry ODT-1" && both.details.contains { $0.hasPrefix("also changed in Expensify: ") }, "\(both.details)")
        let failed = ReportJudgement(reportID: "R1", spool: Self.spool([], failure: Self.failure), expensify: Self.approved, x3: [:]).row
        #expect(failed.code == "UNMAPPED_CATEGORY" && failed.remedy == "Add the category" && failed.details == ["failed/R1.json: UNMAPPED_CATEGORY: category Gifts"])
        #expect(failed.x3EntryNumbers == "-")
    }
}
