import Foundation
import Prometheus

/// `watch --metrics-file` (issue 13): after every pass, the Prometheus text format for
/// node_exporter's textfile collector, written whole (a temp file beside it, renamed):
///
/// - `ledgerdrop_events_total{event}`: the lines of `audit.log` by event (fetched, converted,
///   posted, recovered, numbered, rejected, retried, failed, replayed, skipped) — equal to the log;
/// - `ledgerdrop_failures_total{stage,code}`: its `failed` and `rejected` lines by stage and code;
/// - `ledgerdrop_files{folder}`, `ledgerdrop_oldest_waiting_seconds{folder}`,
///   `ledgerdrop_failed_files{code}`, `ledgerdrop_claims{stage}`: the spool now;
/// - `ledgerdrop_last_pass_timestamp_seconds`, `ledgerdrop_last_successful_pass_timestamp_seconds`,
///   `ledgerdrop_last_pass_exit_code`, `ledgerdrop_passes_total`: `.ledgerdrop/last-pass.json`;
/// - `ledgerdrop_x3_request_duration_seconds{operation}`: how long X3 took to answer each post and
///   lookup of this process (a histogram).
public final class MetricsFile: X3Observer, @unchecked Sendable {
    public let path: String
    let spool: Spool
    let registry = PrometheusCollectorRegistry()
    /// Only the watch's own task touches these between passes.
    private var totals = AuditTotals()
    private var counted = AuditTotals()
    private let latency: [String: DurationHistogram]

    static let buckets: [Duration] = [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
                                      .seconds(5), .seconds(10), .seconds(30), .seconds(60)]

    public init(path: String, spool: Spool) {
        self.path = path
        self.spool = spool
        var latency: [String: DurationHistogram] = [:]
        for operation in ["post", "lookup"] {
            latency[operation] = registry.makeDurationHistogram(descriptor: Self.name("x3_request_duration", "seconds", "How long X3 took to answer a post or a lookup of this process"),
                                                                labels: [("operation", operation)], buckets: Self.buckets)
        }
        self.latency = latency
    }

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "ledgerdrop", metricName: metric, unitName: unit, helpText: help)
    }

    public func record(_ operation: X3Operation, _ duration: Duration) {
        latency[operation.rawValue]?.record(duration)
    }

    /// Reads what the last pass changed and writes the file. Throws when it cannot be written.
    public func update(now: Int64 = Timestamp.now()) throws(LedgerDropError) {
        totals.readOn(spool)
        for (event, count) in totals.events {
            let new = count - (counted.events[event] ?? 0)
            if new > 0 { registry.makeCounter(descriptor: Self.name("events", "total", "Lines of audit.log by event"), labels: [("event", event)]).increment(by: Int64(new)) }
        }
        for (key, count) in totals.failures {
            let new = count - (counted.failures[key] ?? 0)
            let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
            if new > 0, parts.count == 2 {
                registry.makeCounter(descriptor: Self.name("failures", "total", "failed and rejected lines of audit.log by stage and code"), labels: [("stage", parts[0]), ("code", parts[1])])
                    .increment(by: Int64(new))
            }
        }
        counted = totals
        let status = SpoolStatus.gather(spool, now: now)
        for (folder, state) in status.folders {
            registry.makeGauge(descriptor: Self.name("files", "", "Files in each spool folder"), labels: [("folder", folder)]).set(to: Double(state.files))
            if folder == "inbox" || folder == "outbox" {
                registry.makeGauge(descriptor: Self.name("oldest_waiting", "seconds", "Age of the oldest file waiting in inbox/ and outbox/ (0: none)"), labels: [("folder", folder)])
                    .set(to: Double(state.oldestAgeSeconds ?? 0))
            }
        }
        for (code, count) in status.failuresByCode {
            registry.makeGauge(descriptor: Self.name("failed_files", "", "Files in failed/ by error code"), labels: [("code", code)]).set(to: Double(count))
        }
        for (stage, count) in status.claims {
            registry.makeGauge(descriptor: Self.name("claims", "", "Files claimed by a run, by stage"), labels: [("stage", stage)]).set(to: Double(count))
        }
        if let pass = PassRecord.read(spool) {
            registry.makeGauge(descriptor: Self.name("last_pass_timestamp", "seconds", "When the last pass ended")).set(to: Double(pass.lastPassSeconds))
            registry.makeGauge(descriptor: Self.name("last_pass_exit_code", "", "The last pass's exit code")).set(to: Double(pass.lastPassExitCode))
            if let good = pass.lastGoodPassSeconds {
                registry.makeGauge(descriptor: Self.name("last_successful_pass_timestamp", "seconds", "When the last pass that ran its stages ended (exit 0 or 1)")).set(to: Double(good))
            }
            registry.makeGauge(descriptor: Self.name("passes", "", "Passes recorded on this spool")).set(to: Double(pass.passes))
        }
        try write()
    }

    /// The whole text, written beside the file and renamed over it: the collector never reads half.
    func write() throws(LedgerDropError) {
        let text = registry.emitToBuffer()
        let temporary = path + ".tmp-\(getpid())"
        FileSystem.remove(temporary)
        do {
            try FileSystem.create(temporary, bytes: text)
            try FileSystem.move(temporary, path)
        } catch {
            FileSystem.remove(temporary)
            throw LedgerDropError(.spoolUnavailable, "cannot write the metrics file \(path): \(error)")
        }
    }
}
