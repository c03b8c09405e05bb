/// An import payload read back against its layout: the structural check of SPEC §13.2 before a
/// payload is written and before it is posted (a hand-made or edited file included). Each record
/// must be one of the layout's three, with its number of fields; the fields the layout fills
/// with placeholders give the entry's type, reference, date, currency and lines, and the lines
/// of each ledger type must balance.
extension ImportRecords {
    public typealias Reading = PayloadReading

    /// The records of a payload file, decoded from the layout's encoding.
    public func records(of bytes: [UInt8]) -> [String] {
        Self.lines(of: bytes).map(decode)
    }

    /// The records as bytes: split at LF, a CR before it dropped, no empty last record. Bytes,
    /// not Characters: both encodings keep `\n` and `\r` one byte each, and splitting text by
    /// grapheme is most of what a read-back would cost.
    static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { $0.last == 0x0D ? $0.dropLast() : $0 }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    func decode(_ bytes: ArraySlice<UInt8>) -> String {
        layout.encoding == .utf8 ? String(decoding: bytes, as: UTF8.self) : String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// A record's fields, as bytes: split as bytes when the separator is one byte (an ASCII
    /// character, as every template we know uses), else split as text.
    func fields(of record: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        if let byte = separatorByte {
            return record.split(separator: byte, omittingEmptySubsequences: false)
        }
        return decode(record).split(separator: Character(layout.fieldSeparator), omittingEmptySubsequences: false)
            .map { ArraySlice(Self.encode(String($0), layout.encoding)) }
    }

    public func read(_ bytes: [UInt8], fileName: String) throws(LedgerDropError) -> Reading {
        func invalid(_ why: String) -> LedgerDropError { LedgerDropError(.invalidPayload, "\(fileName): \(why)") }
        let records = Self.lines(of: bytes)
        guard !records.isEmpty else { throw invalid("holds no records") }

        var reading = Reading()
        for (number, record) in records.enumerated() {
            let values = fields(of: record)
            // Literals are compared as bytes; only the values ledgerdrop reads are decoded.
            guard let kind = shapeBytes.firstIndex(where: { shape in
                guard shape.count == values.count, case .literal(let code)? = shape.first else { return false }
                return values[0].elementsEqual(code)
            }) else {
                throw invalid("record \(number + 1) (\"\(values.first.map(decode) ?? "")…\", \(values.count) fields) is none of the layout's records (x3.import.records)")
            }
            if (kind == 0) != (number == 0) { throw invalid("the header record must come first, and only once") }
            var found = PayloadReading.Found()
            for (field, value) in zip(shapeBytes[kind], values) {
                switch field {
                case .literal(let literal) where !value.elementsEqual(literal):
                    throw invalid("record \(number + 1) has \"\(decode(value))\" where the layout writes \"\(decode(ArraySlice(literal)))\"")
                case .placeholder(let placeholder) where kind < 2 || placeholder.isDimension: found.values.append((placeholder, decode(value)))
                default: break
                }
            }
            switch kind {
            case 0:
                reading.entryType = found[.entryType] ?? ""
                reading.site = found[.site] ?? ""
                reading.reference = found[.reference] ?? found[.sourceDocument] ?? ""
                reading.currency = found[.currency] ?? ""
                if let date = found[.accountingDate] {
                    guard let day = day(date) else { throw invalid("the accounting date \"\(date)\" is not \(layout.dateFormat)") }
                    reading.accountingDate = day
                }
                reading.sourceDate = found[.sourceDate].flatMap(day)
            case 1:
                if reading.currency.isEmpty { reading.currency = found[.currency] ?? "" }
                reading.lines.append(try line(found, invalid: { invalid("record \(number + 1): \($0)") }))
            default:
                reading.analytics += 1
                // The analytics record's dimensions belong to the line record before it.
                if !reading.lines.isEmpty { reading.lines[reading.lines.count - 1].dimensions.merge(found.dimensions) { _, new in new } }
            }
        }
        guard reading.lines.count >= 2 else { throw invalid("an entry needs at least two lines") }
        try reading.checkBalanced(fileName: fileName)
        return reading
    }

    private func line(_ found: PayloadReading.Found, invalid: (String) -> LedgerDropError) throws(LedgerDropError) -> Reading.Line {
        try found.line(decimalSeparator: layout.decimalSeparator, invalid: invalid)
    }

    /// A date written in `x3.import.dateFormat`.
    func day(_ text: String) -> Day? {
        var rest = Substring(text)
        var year = 0, month = 0, day = 0
        for token in DateToken.read(layout.dateFormat) {
            if case .literal(let character) = token {
                guard rest.first == character else { return nil }
                rest = rest.dropFirst()
                continue
            }
            let digits = rest.prefix(token.digits)
            guard digits.count == token.digits, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
            rest = rest.dropFirst(token.digits)
            switch token {
            case .year: year = value
            case .shortYear: year = 2000 + value
            case .month: month = value
            default: day = value
            }
        }
        guard rest.isEmpty else { return nil }
        return Day("\(DecimalDigits.padded(year, width: 4))-\(DecimalDigits.padded(month, width: 2))-\(DecimalDigits.padded(day, width: 2))")
    }
}
