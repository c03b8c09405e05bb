/// One company's entries by their last audit event (`audit --by company`, `status --by company`):
/// waiting in `outbox/` (converted, retried, replayed), posted (posted, recovered, numbered),
/// failed (failed, rejected). The company is empty for reports no company took.
public struct CompanyTotal: Sendable, Codable, Equatable {
    public var company: String
    public var waiting = 0
    public var posted = 0
    public var failed = 0

    public init(company: String) { self.company = company }

    mutating func count(_ state: String) {
        switch state {
        case "posted", "recovered", "numbered": posted += 1
        case "failed", "rejected": failed += 1
        default: waiting += 1
        }
    }

    /// `company FR: 12 entries, 10 posted, 1 waiting, 1 failed`.
    public var heading: String {
        let name = company.isEmpty ? "no company" : "company \(company)"
        return "\(name): \(waiting + posted + failed) entr\(waiting + posted + failed == 1 ? "y" : "ies"), \(posted) posted, \(waiting) waiting, \(failed) failed"
    }
}
