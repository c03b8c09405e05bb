import LedgerDrop
import Logging

/// `--log-format text`: `time level label: metadata message` per line on stderr, through
/// `Output`, so a log line is one line and never carries a control character raw.
struct TextLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let text = "\(Timestamp.iso8601(Timestamp.now())) \(event.level) \(label): " + (fields.isEmpty ? "" : fields.joined(separator: " ") + " ") + event.message.description
        Output.error(TerminalText.safe(text, keepingLines: false))
    }
}
