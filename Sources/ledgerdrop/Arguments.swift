import ArgumentParser
import LedgerDrop

/// Days and durations read straight from the command line: `--since 2026-11-01`, `--min-age 2s`.
/// A value that does not read is refused by ArgumentParser with the option's name.
extension Day: ExpressibleByArgument {
    public init?(argument: String) {
        // Only the day itself: `2026-11-01 10:00` is not a day.
        guard argument.utf8.count == 10 else { return nil }
        self.init(argument)
    }
}

extension Duration: @retroactive ExpressibleByArgument {
    public init?(argument: String) {
        guard let duration = DurationText.parse(argument) else { return nil }
        self = duration
    }
}
