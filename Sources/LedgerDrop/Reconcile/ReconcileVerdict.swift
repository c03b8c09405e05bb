/// What `reconcile` says of one report approved in the period (issue 12), and what fixes it.
public enum ReconcileVerdict: String, Sendable, Codable, CaseIterable {
    /// In X3 as posted, and Expensify has it as it was converted.
    case reconciled
    /// Approved in Expensify, and the spool has never seen it.
    case missingInSpool = "missing in the spool"
    /// In `inbox/`, `outbox/`, claimed, or handed off and not yet numbered.
    case waiting
    /// In `failed/`, with its code and remedy.
    case failed
    /// The receipt names an entry X3 no longer holds.
    case missingInX3 = "missing in X3"
    /// X3 holds the entry, not as it was posted.
    case differentInX3 = "different in X3"
    /// Expensify's report differs from the one converted (its content hash).
    case changedInExpensify = "changed in Expensify"
    /// Expensify no longer has the report approved (reopened, or deleted).
    case notApproved = "not approved any more"
    /// Posted; X3 or Expensify was not asked (`--offline`, or out of reach), and that is said.
    case postedNotChecked = "posted, not checked"

    /// Whether it needs someone: everything but `reconciled` and what could not be checked.
    public var needsAttention: Bool { self != .reconciled && self != .postedNotChecked }

    /// What a person does about it.
    public var remedy: String {
        switch self {
        case .reconciled: ""
        case .missingInSpool: "fetch it: ledgerdrop fetch --report <ID>, then ledgerdrop run"
        case .waiting: "ledgerdrop run (or wait for the next one)"
        case .failed: "see the code's remedy; after the fix, ledgerdrop replay <ID> and ledgerdrop run"
        case .missingInX3: "if it should be in X3: ledgerdrop replay --repost <ID>, then ledgerdrop post"
        case .differentInX3: "correct the entry in X3, or reverse it there and ledgerdrop replay --repost <ID>"
        case .changedInExpensify: "reverse the entry in X3, then ledgerdrop replay --refetch <ID>, ledgerdrop fetch --report <ID> and ledgerdrop run"
        case .notApproved: "reverse the entry in X3 if the report is withdrawn for good"
        case .postedNotChecked: "run reconcile with both services reachable"
        }
    }
}
