/// Where convert learns the open periods (SPEC §13.4): `x3.openPeriods` when the configuration
/// lists them, else X3's own, read once per run through its GraphQL API. Only
/// `posting.closedPeriod: next-open` needs them; `fail` leaves a closed period to X3's refusal.
public enum OpenPeriodSource {
    /// Whether this configuration asks X3 for its periods before converting.
    public static func readsServer(_ configuration: Configuration) -> Bool {
        configuration.posting.closedPeriod == .nextOpen && configuration.x3.openPeriods == nil
    }

    /// X3's open periods; a systemic error when X3 cannot say (nothing is converted on a guess).
    public static func read(from connection: X3Connection) async throws(LedgerDropError) -> OpenPeriods {
        guard let reader = connection.reader else {
            throw LedgerDropError(.configInvalid, "posting.closedPeriod next-open needs the open periods: x3.url or x3.openPeriods")
        }
        do {
            return try await reader.openPeriods()
        } catch where error.code.exitCode != 3 && error.code != .configInvalid {
            // A refusal or an unreadable answer is no item's fault: the whole run waits.
            throw LedgerDropError(.x3Unreachable, "cannot read X3's open periods for posting.closedPeriod next-open: \(error.message); nothing was converted")
        }
    }

    /// The periods for a convert run: nil when the configuration needs none from X3.
    public static func resolve(_ configuration: Configuration, environment: [String: String]) async throws(LedgerDropError) -> OpenPeriods? {
        guard readsServer(configuration) else { return nil }
        let connection = try X3Connection(configuration: configuration, credentials: .resolve(environment: environment))
        do {
            let periods = try await read(from: connection)
            await connection.shutdown()
            return periods
        } catch {
            await connection.shutdown()
            throw error
        }
    }
}
