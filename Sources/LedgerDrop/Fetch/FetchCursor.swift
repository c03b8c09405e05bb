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

    /// The cursor replaced through the spool's one hand-off, after the reports it vouches for.
    func transaction(_ spool: Spool) -> SpoolTransaction {
        SpoolTransaction(label: "fetch-cursor", items: [.init(outputs: [.init(content: .bytes(JSONFile.encode(self)), destination: Self.path(spool), replace: true)])])
    }
}

extension FetchCursor {
    init(_ day: Day, run: String) {
        self.init(lastFullyFetchedDay: day.description, updatedAt: Timestamp.iso8601(Timestamp.now()), run: run)
    }
}
