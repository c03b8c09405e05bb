/// Reads typed fields out of `JSONValue`s and records a `Problem` (with its JSON path) for every
/// field that is missing or malformed, instead of stopping at the first.
struct FieldReader {
    var path: String
    var problems: [Problem] = []
    /// Where the next field of the object being read probably is (see `JSONObject.value`).
    private var cursor = 0

    init(path: String) { self.path = path }

    mutating func report(_ value: JSONValue) -> Report? {
        guard case .object(let f) = value else {
            problems.append(Problem(.invalidReport, "a report must be an object, not \(value.kindName)", path: path))
            return nil
        }
        cursor = 0
        let reportID = identifier(f, "reportID", at: path)
        let currency = currencyCode(f, "currency", at: path, required: true)
        var transactions: [Expense] = []
        switch f["transactions"] {
        case .array(let items)?:
            for (i, item) in items.enumerated() {
                if let expense = expense(item, index: i, at: "\(path).transactions[\(i)]", reportCurrency: currency) {
                    transactions.append(expense)
                }
            }
        case nil, .null?:
            problems.append(Problem(.invalidReport, "missing required field \"transactions\"", path: "\(path).transactions"))
        case let other?:
            problems.append(Problem(.invalidReport, "\"transactions\" must be an array, not \(other.kindName)", path: "\(path).transactions"))
        }
        guard let reportID else { return nil }
        let submitter = f["submitter"]?["fullName"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""
        return Report(
            reportID: reportID,
            reportName: text(f, "reportName", at: path),
            status: text(f, "status", at: path),
            policyID: text(f, "policyID", at: path),
            policyName: text(f, "policyName", at: path),
            currency: currency,
            total: amount(f, "total", at: path, required: false),
            created: text(f, "created", at: path),
            submitted: text(f, "submitted", at: path),
            approved: text(f, "approved", at: path),
            accountEmail: text(f, "accountEmail", at: path),
            submitterPayrollID: text(f, "submitterPayrollID", at: path),
            submitterName: { let n = text(f, "submitterName", at: path); return n.isEmpty ? HTMLEntities.decode(submitter) : n }(),
            managerEmail: text(f, "managerEmail", at: path),
            transactions: transactions
        )
    }

    mutating func expense(_ value: JSONValue, index: Int, at path: String, reportCurrency: String) -> Expense? {
        guard case .object(let f) = value else {
            problems.append(Problem(.invalidReport, "a transaction must be an object, not \(value.kindName)", path: path))
            return nil
        }
        let before = problems.count
        cursor = 0
        let currency = currencyCode(f, "currency", at: path, required: false)
        let expense = Expense(
            index: index,
            transactionID: identifier(f, "transactionID", at: path) ?? "",
            created: date(f, "created", at: path, required: true),
            modifiedCreated: date(f, "modifiedCreated", at: path, required: false),
            merchant: text(f, "merchant", at: path),
            modifiedMerchant: text(f, "modifiedMerchant", at: path),
            amount: amount(f, "amount", at: path, required: true) ?? 0,
            modifiedAmount: amount(f, "modifiedAmount", at: path, required: false) ?? 0,
            currency: currency.isEmpty ? reportCurrency : currency,
            convertedAmount: amount(f, "convertedAmount", at: path, required: false) ?? 0,
            currencyConversionRate: rate(f, "currencyConversionRate", at: path),
            category: text(f, "category", at: path, required: true),
            categoryGlCode: text(f, "categoryGlCode", at: path),
            tag: text(f, "tag", at: path),
            tagGlCode: text(f, "tagGlCode", at: path),
            comment: text(f, "comment", at: path),
            reimbursable: flag(f, "reimbursable", at: path, default: true),
            billable: flag(f, "billable", at: path, default: false),
            taxAmount: amount(f, "taxAmount", at: path, required: false) ?? 0,
            modifiedTaxAmount: amount(f, "modifiedTaxAmount", at: path, required: false) ?? 0,
            taxCode: text(f, "taxCode", at: path),
            taxName: text(f, "taxName", at: path),
            receiptURL: text(f, "receiptURL", at: path)
        )
        if expense.convertedAmount != 0, expense.amountInExpenseCurrency != 0,
           (expense.convertedAmount < 0) != (expense.amountInExpenseCurrency < 0) {
            problems.append(Problem(.invalidReport, "convertedAmount \(expense.convertedAmount) and the amount \(expense.amountInExpenseCurrency) have opposite signs", path: "\(path).convertedAmount"))
        }
        return problems.count == before ? expense : nil
    }

    // MARK: - Fields

    private mutating func field(_ f: JSONObject, _ key: String) -> JSONValue? { f.value(key, cursor: &cursor) }

    /// A string field, HTML entities decoded. Absent or null is "".
    mutating func text(_ f: JSONObject, _ key: String, at path: String, required: Bool = false) -> String {
        switch field(f, key) {
        case nil, .null?:
            if required { problems.append(Problem(.invalidReport, "missing required field \"\(key)\"", path: "\(path).\(key)")) }
            return ""
        case .string(let s)?:
            guard s.utf8.count <= ReportFile.maxStringBytes else {
                problems.append(Problem(.invalidReport, "\"\(key)\" is \(s.utf8.count) bytes long; the limit is \(ReportFile.maxStringBytes)", path: "\(path).\(key)"))
                return ""
            }
            return HTMLEntities.decode(s)
        case .number(let n)?:
            return n
        case let other?:
            problems.append(Problem(.invalidReport, "\"\(key)\" must be a string, not \(other.kindName)", path: "\(path).\(key)"))
            return ""
        }
    }

    /// An ID that may exceed 2^53: a string, or a JSON integer kept as its text.
    mutating func identifier(_ f: JSONObject, _ key: String, at path: String) -> String? {
        var fieldPath: String { "\(path).\(key)" }
        let value: String
        switch field(f, key) {
        case nil, .null?:
            problems.append(Problem(.invalidReport, "missing required field \"\(key)\"", path: fieldPath))
            return nil
        case .string(let s)?:
            value = s
        case .number(let n)? where n.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }):
            value = n
        case let other?:
            problems.append(Problem(.invalidReport, "\"\(key)\" must be a string or an integer, not \(other.kindName)", path: fieldPath))
            return nil
        }
        if key == "reportID" {
            // The report ID becomes file names and X3's 20-character REF: a plain identifier only.
            guard ReportID.isPlain(value) else {
                let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
                problems.append(Problem(.invalidReport, "report ID \"\(shown)\" is not 1 to 20 letters, digits, '_' or '-' (it becomes X3's REF and file names)", path: fieldPath))
                return nil
            }
        } else if value.isEmpty {
            problems.append(Problem(.invalidReport, "\"\(key)\" is empty", path: fieldPath))
            return nil
        }
        return value
    }

    /// Hundredths: a JSON integer, an integral JSON number, or a string of digits with an optional
    /// sign; magnitude at most 10^15. Absent or null is nil (a problem when required).
    mutating func amount(_ f: JSONObject, _ key: String, at path: String, required: Bool) -> Int64? {
        var fieldPath: String { "\(path).\(key)" }
        let decimal: ExactDecimal?
        switch field(f, key) {
        case nil, .null?:
            if required { problems.append(Problem(.invalidReport, "missing required field \"\(key)\"", path: fieldPath)) }
            return nil
        case .number(let n)?:
            // Most amounts are plain integers of hundredths: read without the decimal machinery.
            if let integer = Self.plainInteger(n) { return integer }
            decimal = ExactDecimal(Substring(n))
        case .string(let s)?:
            let body = s.hasPrefix("-") || s.hasPrefix("+") ? s.dropFirst() : Substring(s)
            decimal = !body.isEmpty && body.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? ExactDecimal(Substring(s)) : nil
            if decimal == nil {
                problems.append(Problem(.invalidReport, "\"\(key)\" must be an integer number of hundredths, not the string \"\(s.prefix(40))\"", path: fieldPath))
                return nil
            }
        case let other?:
            problems.append(Problem(.invalidReport, "\"\(key)\" must be an integer number of hundredths, not \(other.kindName)", path: fieldPath))
            return nil
        }
        guard let decimal, let integer = decimal.integerValue else {
            problems.append(Problem(.invalidReport, "\"\(key)\" must be a whole number of hundredths", path: fieldPath))
            return nil
        }
        guard integer.magnitude <= UInt128(ReportFile.maxAmountMagnitude) else {
            problems.append(Problem(.invalidReport, "\"\(key)\" is too large (more than 10^15 hundredths)", path: fieldPath))
            return nil
        }
        return Int64(integer)
    }

    /// An optional minus and at most 15 digits (the magnitude limit of amounts), else nil.
    static func plainInteger(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { utf8 -> Int64? in
            let negative = utf8.first == UInt8(ascii: "-")
            let digits = UnsafeBufferPointer(rebasing: utf8[(negative ? 1 : 0)...])
            guard !digits.isEmpty, digits.count <= 15 else { return nil }
            var value: Int64 = 0
            for byte in digits {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return negative ? -value : value
        }
    }

    /// An exchange rate, exact from its text; absent, null, 0 or "" is nil.
    mutating func rate(_ f: JSONObject, _ key: String, at path: String) -> ExactDecimal? {
        let text: String
        switch field(f, key) {
        case nil, .null?: return nil
        case .number(let n)?: text = n
        case .string(let s)?: if s.isEmpty { return nil }; text = s
        case let other?:
            problems.append(Problem(.invalidReport, "\"\(key)\" must be a decimal number, not \(other.kindName)", path: "\(path).\(key)"))
            return nil
        }
        guard let rate = ExactDecimal(Substring(text)), rate.significand >= 0 else {
            problems.append(Problem(.invalidReport, "\"\(key)\" is not a positive decimal number with at most 30 digits", path: "\(path).\(key)"))
            return nil
        }
        return rate.significand == 0 ? nil : rate
    }

    /// A `yyyy-MM-dd` day that exists in the calendar.
    mutating func date(_ f: JSONObject, _ key: String, at path: String, required: Bool) -> String {
        let value = text(f, key, at: path, required: required)
        if value.isEmpty {
            if required { requireNonEmpty(f, key, at: path) }
            return ""
        }
        guard let day = Day(value) else {
            problems.append(Problem(.invalidReport, "\"\(key)\" is \"\(value.prefix(40))\", not a date as yyyy-MM-dd", path: "\(path).\(key)"))
            return ""
        }
        // A valid day is its own text (yyyy-MM-dd, four-digit years from 1900 on), or its first ten characters.
        return value.utf8.count == 10 ? value : day.description
    }

    /// A boolean; `"true"`/`"false"` strings are accepted too. Absent or null is the default.
    mutating func flag(_ f: JSONObject, _ key: String, at path: String, default value: Bool) -> Bool {
        switch field(f, key) {
        case nil, .null?: return value
        case .bool(let b)?: return b
        case .string("true")?: return true
        case .string("false")?: return false
        case let other?:
            problems.append(Problem(.invalidReport, "\"\(key)\" must be true or false, not \(other.kindName)", path: "\(path).\(key)"))
            return value
        }
    }

    /// A present but empty required value (absence was reported by `text`).
    private mutating func requireNonEmpty(_ f: JSONObject, _ key: String, at path: String) {
        if let value = field(f, key), value != .null {
            problems.append(Problem(.invalidReport, "\"\(key)\" is empty", path: "\(path).\(key)"))
        }
    }

    /// A three-letter currency code that ISO 4217 knows with a minor unit.
    mutating func currencyCode(_ f: JSONObject, _ key: String, at path: String, required: Bool) -> String {
        let code = text(f, key, at: path, required: required)
        if code.isEmpty {
            if required { requireNonEmpty(f, key, at: path) }
            return ""
        }
        if Currency(code: code) == nil {
            problems.append(Problem(.unknownCurrency, "\"\(code.prefix(40))\" is not an ISO 4217 currency with a minor unit", path: "\(path).\(key)"))
        }
        return code
    }
}
