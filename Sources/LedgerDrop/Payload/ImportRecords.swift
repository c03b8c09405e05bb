import Foundation

/// The import-template records of one journal entry (SPEC §13.2, `x3.import`): one G record, then
/// per line a D record for each ledger type, each followed by an A record when the line has
/// dimensions. The payload file holds one record per line; AOWSIMPORT's `I_FILE` joins the same
/// records with `|` and ends them with `END` (`runInput`). The layout is data; this is the one
/// engine that fills it.
public struct ImportRecords: Sendable {
    let x3: Configuration.X3
    var layout: Configuration.Import { x3.importLayout }
    /// The fields of the header, line and analytics records, split once, their literals in the
    /// file's encoding (the read-back compares bytes).
    let shapeBytes: [[FieldBytes]]

    enum FieldBytes: Sendable {
        case literal([UInt8])
        case placeholder(Placeholder)
        case mixed
    }
    /// The field separator when it is one byte (then a field is checked byte by byte for it, `|`
    /// and line breaks); nil: checked by Character.
    let separatorByte: UInt8?
    let values: PlaceholderValues

    public init(x3: Configuration.X3) {
        self.x3 = x3
        let layout = x3.importLayout
        shapeBytes = [layout.header, layout.line, layout.analytics].map { template in
            template.fields(separatedBy: Character(layout.fieldSeparator)).map { field in
                switch field {
                case .literal(let text): .literal(Self.encode(text, layout.encoding))
                case .placeholder(let placeholder): .placeholder(placeholder)
                case .mixed: .mixed
                }
            }
        }
        let separator = Array(layout.fieldSeparator.utf8)
        separatorByte = separator.count == 1 ? separator[0] : nil
        let format = DateToken.read(layout.dateFormat)
        values = PlaceholderValues(x3: x3, date: { Self.date($0, format: format) }, decimalSeparator: layout.decimalSeparator)
    }

    /// AOWSIMPORT's record separator: never inside a field either.
    public static let runSeparator = "|"

    /// The records, in order. A value holding the field separator, `|` or a line break would
    /// break the file: it is refused (`INVALID_PAYLOAD`), never written.
    public func records(_ entry: JournalEntry) throws(LedgerDropError) -> [String] {
        func fill(_ template: PlaceholderTemplate, _ line: JournalLine?, ledgerType: String = "") throws(LedgerDropError) -> String {
            try template.fill { placeholder throws(LedgerDropError) in
                try checked(values.value(placeholder, entry, line, ledgerType: ledgerType), placeholder, entry, line)
            }
        }
        var records = [try fill(layout.header, nil)]
        for line in entry.lines {
            for ledgerType in layout.ledgerTypes {
                records.append(try fill(layout.line, line, ledgerType: ledgerType))
                if !line.dimensions.isEmpty { records.append(try fill(layout.analytics, line, ledgerType: ledgerType)) }
            }
        }
        return records
    }

    /// The payload file: the records, each ended by the layout's line ending, in its encoding,
    /// checked by reading it back against the layout as the poster will.
    public func render(_ entry: JournalEntry) throws(LedgerDropError) -> [UInt8] {
        let text = try records(entry).map { $0 + layout.lineEnding.text }.joined()
        let bytes = Self.encode(text, layout.encoding)
        _ = try read(bytes, fileName: entry.key.fileStem + ".import.txt")
        return bytes
    }

    /// `I_FILE` of AOWSIMPORT's `run` for a payload file's records.
    public static func runInput(records: [String]) -> String {
        (records + ["END"]).joined(separator: runSeparator)
    }

    private func checked(_ value: String, _ placeholder: Placeholder, _ entry: JournalEntry, _ line: JournalLine?) throws(LedgerDropError) -> String {
        // Plain ASCII (nearly every value) is checked byte by byte; other text by Character,
        // where Unicode's own line breaks count too.
        if let separator = separatorByte, value.utf8.allSatisfy({ $0 < 0x80 }) {
            guard value.utf8.contains(where: { $0 == separator || $0 == UInt8(ascii: "|") || (0x0A...0x0D).contains($0) }) else { return value }
        } else {
            let separator = Character(layout.fieldSeparator)
            guard value.contains(where: { $0 == separator || $0 == "|" || $0.isNewline }) else { return value }
        }
        let place = line.map { "line \($0.number)'s " } ?? ""
        throw LedgerDropError(.invalidPayload, "the import record of \(entry.key) cannot hold \(place)\(placeholder.label) \"\(value)\": it contains the field separator \"\(layout.fieldSeparator)\", \"|\" or a line break")
    }

    /// `x3.import.dateFormat`: `YYYY`, `YY`, `MM`, `DD` replaced, the rest as written.
    func date(_ day: Day) -> String { Self.date(day, format: DateToken.read(layout.dateFormat)) }

    static func date(_ day: Day, format: [DateToken]) -> String {
        format.map { token in
            switch token {
            case .year: DecimalDigits.padded(day.year, width: 4)
            case .shortYear: DecimalDigits.padded(day.year % 100, width: 2)
            case .month: DecimalDigits.padded(day.month, width: 2)
            case .day: DecimalDigits.padded(day.day, width: 2)
            case .literal(let character): String(character)
            }
        }.joined()
    }

    /// The parts of a date format, as writing a date and reading one back both see them.
    enum DateToken: Equatable {
        case year, shortYear, month, day
        case literal(Character)

        var digits: Int { self == .year ? 4 : 2 }

        static func read(_ format: String) -> [DateToken] {
            var format = Substring(format)
            var tokens: [DateToken] = []
            while let first = format.first {
                let (token, length): (DateToken, Int) =
                    format.hasPrefix("YYYY") ? (.year, 4) : format.hasPrefix("YY") ? (.shortYear, 2)
                    : format.hasPrefix("MM") ? (.month, 2) : format.hasPrefix("DD") ? (.day, 2) : (.literal(first), 1)
                tokens.append(token)
                format = format.dropFirst(length)
            }
            return tokens
        }
    }

    /// UTF-8, or ISO-8859-1 where every character above U+00FF becomes `?` (replaced, never
    /// dropped: the field keeps its length and its place).
    static func encode(_ text: String, _ encoding: Configuration.Import.Encoding) -> [UInt8] {
        switch encoding {
        case .utf8: return Array(text.utf8)
        // Composed first, so that an accent written as a combining mark stays one Latin-1 letter.
        case .latin1: return text.precomposedStringWithCanonicalMapping.unicodeScalars.map { $0.value <= 0xFF ? UInt8($0.value) : UInt8(ascii: "?") }
        }
    }
}
