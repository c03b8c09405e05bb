import Foundation
import LedgerDrop

/// Everything the Expensify sandbox knows: the reports, the files export jobs rendered, the
/// requests of each partner user within the rate-limit windows, faults, and counters for tests.
public actor ExpensifySandboxState {
    public private(set) var reports: [ExpensifyReport]
    public var faults = SandboxFaults.none
    /// Expensify's documented limits: 5 requests per 10 s and 20 per 60 s, per partner user.
    public var limits: [Configuration.RequestLimit]
    /// Empty downloads a file answers before it is "rendered".
    public var renderPolls: Int

    var files: [String: (bytes: [UInt8], emptyPollsLeft: Int)] = [:]
    var requestTimes: [String: [ContinuousClock.Instant]] = [:]
    var refusalStreak: [String: Int] = [:]
    var refusals = 0

    /// What tests count.
    /// Jobs are counted once admitted (credentials good, within the limit); refusals apart.
    public struct Stats: Codable, Sendable, Equatable {
        public var requests = 0
        public var exports = 0
        public var downloads = 0
        public var emptyDownloads = 0
        public var policyLists = 0
        public var refusedRateLimited = 0
        /// The most requests of one partner user refused in a row.
        public var longestRefusalStreak = 0
        public var authenticationFailures = 0
    }

    public private(set) var stats = Stats()

    public init(reports: [ExpensifyReport], limits: [Configuration.RequestLimit], renderPolls: Int) {
        self.reports = reports
        self.limits = limits
        self.renderPolls = renderPolls
    }

    public func setFaults(_ faults: SandboxFaults) { self.faults = faults }
    public func add(_ new: [ExpensifyReport]) {
        for report in new {
            reports.removeAll { $0.reportID == report.reportID }
            reports.append(report)
        }
    }

    func count(_ job: String) {
        stats.requests += 1
        switch job {
        case "file": stats.exports += 1
        case "download": stats.downloads += 1
        case "get": stats.policyLists += 1
        default: break
        }
    }

    func countAuthenticationFailure() {
        stats.requests += 1
        stats.authenticationFailures += 1
    }

    /// Whether a request of this partner user is within the limits; a refused one does not count
    /// against the windows. Returns the refusal number (for alternating reply forms) or nil.
    func admit(_ partner: String) -> Int? {
        let now = ContinuousClock.now
        let longest = limits.map(\.per).max() ?? .seconds(60)
        var times = requestTimes[partner, default: []].filter { now - $0 < longest }
        let over = limits.contains { limit in times.filter { now - $0 < limit.per }.count >= limit.requests }
        if over {
            stats.requests += 1
            refusals += 1
            stats.refusedRateLimited += 1
            refusalStreak[partner, default: 0] += 1
            stats.longestRefusalStreak = max(stats.longestRefusalStreak, refusalStreak[partner]!)
            requestTimes[partner] = times
            return refusals
        }
        refusalStreak[partner] = 0
        times.append(now)
        requestTimes[partner] = times
        return nil
    }

    /// The reports an export with these settings returns, in a stable order.
    func select(states: Set<String>, approvedAfter: Day?, reportIDs: Set<String>?, policyIDs: Set<String>?) -> [ExpensifyReport] {
        reports.filter { report in
            states.contains(report.state)
                && (approvedAfter == nil || (report.approved.map { $0 > approvedAfter! } ?? false))
                && (reportIDs == nil || reportIDs!.contains(report.reportID))
                && (policyIDs == nil || policyIDs!.contains(report.policyID))
        }
    }

    func store(file name: String, bytes: [UInt8]) { files[name] = (bytes, renderPolls) }

    /// nil: no such file; empty: not rendered yet.
    func download(_ name: String) -> [UInt8]? {
        guard var file = files[name] else { return nil }
        if file.emptyPollsLeft > 0 {
            file.emptyPollsLeft -= 1
            files[name] = file
            stats.emptyDownloads += 1
            return []
        }
        return file.bytes
    }
}
