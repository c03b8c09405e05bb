import Foundation
import LedgerDrop
import Logging

/// One log line per event on stderr, through `Output` (never a crash, no raw control character):
/// `--log-format text` as `time level label: metadata message`, `--log-format json` as one JSON
/// object per line.
struct LogLineHandler: LogHandler {
    let label: String
    let format: GlobalOptions.LogFormat
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }
        let at = Timestamp.iso8601(Timestamp.now())
        switch format {
        case .text:
            let pairs = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let text = "\(at) \(event.level) \(label): " + (pairs.isEmpty ? "" : pairs.joined(separator: " ") + " ") + event.message.description
            Output.error(TerminalText.safe(text, keepingLines: false))
        case .json:
            var object = ["at": at, "level": event.level.rawValue, "message": event.message.description]
            for (key, value) in fields { object[key] = value.description }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(object) { Output.raw(String(decoding: data, as: UTF8.self) + "\n") }
        }
    }
}
