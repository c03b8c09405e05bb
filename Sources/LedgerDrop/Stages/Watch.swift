import Synchronization
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `ledgerdrop watch` (SPEC §11): the pipeline on `expensify.schedule` until SIGINT or SIGTERM.
/// A signal while idle ends the wait at once; a signal during a pass lets the item in hand
/// finish (the export being downloaded, the batch being converted, the posts in flight) and
/// leaves everything else where it is for the next start. swift-service-lifecycle turns the
/// signals into a graceful shutdown.
public struct Watch: Service, CustomStringConvertible {
    public let pipeline: Pipeline
    public let schedule: Schedule
    /// Run a pass at start even when the schedule's first time is later.
    public let runAtStart: Bool
    /// Stop after this many passes (nil: until a signal).
    public let passes: Int?
    public let logger: Logger
    /// Called with the outcome of every pass (the command prints it).
    public let report: @Sendable (Pipeline.Outcome) -> Void
    /// Written after every pass (`--metrics-file`).
    public var metrics: MetricsFile? = nil
    let stop = StopSignal()
    let exitCode = ExitCodeBox()

    public init(pipeline: Pipeline, schedule: Schedule, runAtStart: Bool, passes: Int? = nil, logger: Logger, report: @escaping @Sendable (Pipeline.Outcome) -> Void) {
        self.pipeline = pipeline
        self.schedule = schedule
        self.runAtStart = runAtStart
        self.passes = passes
        self.logger = logger
        self.report = report
    }

    /// The service group logs services by their description: a name, never the pipeline's state.
    public var description: String { "ledgerdrop watch" }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: {
            stop.request()
        }
    }

    private func loop() async {
        var done = 0
        var next = runAtStart || { if case .every = schedule { true } else { false } }() ? Timestamp.now() : schedule.next(after: Timestamp.now())
        while !stop.isRequested {
            let wait = next - Timestamp.now()
            if wait > 0 {
                logger.info("next pass at \(Timestamp.iso8601(next))")
                guard await stop.sleep(for: .nanoseconds(wait)) else { break }
            }
            let started = Timestamp.now()
            let outcome = await pipeline.runOnce(logger: logger, stop: stop)
            exitCode.merge(outcome.exitCode)
            report(outcome)
            if let metrics {
                do { try metrics.update() } catch { logger.error("\(error.message)") }
            }
            done += 1
            if let passes, done >= passes { break }
            if case .every(let interval) = schedule {
                next = max(Timestamp.now(), started + interval.nanoseconds)
            } else {
                next = schedule.next(after: Timestamp.now())
            }
        }
        if stop.isRequested { logger.notice("stopped by a signal; whatever was not in hand stays in the spool for the next start") }
    }

    /// Runs until the passes are done or SIGINT/SIGTERM; returns the worst exit code of all passes.
    public func runUntilStopped() async -> Int32 {
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: self, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: description)],
            gracefulShutdownSignals: [.sigterm, .sigint, .sighup],
            logger: logger
        ))
        do { try await group.run() } catch {
            logger.error("watch ended: \(error)")
            exitCode.merge(3)
        }
        return exitCode.value
    }
}

/// The worst exit code seen, shared between the service and the command.
final class ExitCodeBox: Sendable {
    private let code = Mutex<Int32>(0)
    func merge(_ value: Int32) { code.withLock { $0 = max($0, value) } }
    var value: Int32 { code.withLock { $0 } }
}

extension Schedule {
    /// The first time after `now` (nanoseconds since the epoch) at which a daily or weekly
    /// schedule fires, in the machine's time zone (`TZ`). `every` fires `interval` after `now`.
    public func next(after now: Int64, timeZone: TimeZone = .current) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let date = Date(timeIntervalSince1970: Double(now / 1_000_000) / 1000)
        var components = DateComponents()
        switch self {
        case .every(let interval):
            return now + interval.nanoseconds
        case .daily(let hour, let minute):
            components.hour = hour
            components.minute = minute
        case .weekly(let weekday, let hour, let minute):
            components.weekday = weekday + 1
            components.hour = hour
            components.minute = minute
        }
        components.second = 0
        guard let fire = calendar.nextDate(after: date, matching: components, matchingPolicy: .nextTime) else {
            return now + 86_400_000_000_000
        }
        return Int64((fire.timeIntervalSince1970 * 1000).rounded()) * 1_000_000
    }
}
