import Foundation

/// `.ledgerdrop/fetch-cursor.json`: the last day fully fetched (SPEC §7.4). It moves on only
/// after every report of a window is safely in the spool, and is written atomically.
struct FetchCursor: Codable, Equatable {
    var lastFullyFetchedDay: String
    var updatedAt: String
    var run: String

    static func path(_ spool: Spool) -> String { spool.state + "/fetch-cursor.json" }

    /// nil when no fetch has completed yet.
    static func read(_ spool: Spool) throws(LedgerDropError) -> Day? {
        let path = path(spool)
        guard FileSystem.exists(path) else { return nil }
        guard let bytes = try? FileSystem.read(path, limit: 1 << 16),
              let cursor = try? JSONDecoder().decode(FetchCursor.self, from: Data(bytes)), let day = Day(cursor.lastFullyFetchedDay) else {
            throw LedgerDropError(.spoolUnavailable, "the fetch cursor \(path) cannot be read; fix or delete it (without it the window starts expensify.lookback before today), or fetch with --since")
        }
        return day
    }

    /// Replaces the cursor through the spool's hand-off: a temp file, flushed, renamed over the
    /// old cursor, flushed again.
    static func write(_ day: Day, run: String, handOff: HandOff) throws(LedgerDropError) {
        let cursor = FetchCursor(lastFullyFetchedDay: day.description, updatedAt: Timestamp.iso8601(Timestamp.now()), run: run)
        let path = path(handOff.spool)
        let staged = try handOff.stage(JSONFile.encode(cursor))
        try handOff.flush()
        do { try handOff.place(staged, at: path, replace: true) } catch {
            handOff.discard(staged)
            throw LedgerDropError(.spoolUnavailable, "cannot write the fetch cursor \(path): \(error)")
        }
        try handOff.flush()
    }
}
