/// An approved Expensify expense report in the inbox format of SPEC §3.
public struct Report: Sendable, Equatable {
    public var reportID: String
    public var reportName: String
    public var status: String
    public var policyID: String
    public var policyName: String
    public var currency: String
    public var total: Int64?
    /// Raw report dates as exported (`2026-11-02 16:40:00`); `day(of:)` reads their day.
    public var created: String
    public var submitted: String
    public var approved: String
    public var accountEmail: String
    public var submitterPayrollID: String
    /// The employee's display name when the export carries it (`submitterName`, else
    /// `submitter.fullName`); offset lines and `{employee}` in descriptions use it.
    public var submitterName: String
    public var managerEmail: String
    public var transactions: [Expense]

    /// The employee as people read it: the name when the export has one, else the email.
    public var employeeDisplayName: String {
        submitterName.isEmpty ? accountEmail : submitterName
    }
}

/// One expense line of a report. The stored fields are the export's; the computed ones are the
/// derived values of SPEC §3 and live only here.
public struct Expense: Sendable, Equatable {
    /// Position in the source report's `transactions` array, for JSON paths in errors (unreadable
    /// transactions are left out of `Report.transactions`, so it may differ from the index there).
    public var index: Int
    public var transactionID: String
    public var created: String
    public var modifiedCreated: String
    public var merchant: String
    public var modifiedMerchant: String
    /// Hundredths of the expense currency, whatever the currency.
    public var amount: Int64
    public var modifiedAmount: Int64
    /// The expense currency, already defaulted to the report's when missing.
    public var currency: String
    public var convertedAmount: Int64
    public var currencyConversionRate: ExactDecimal?
    public var category: String
    public var categoryGlCode: String
    public var tag: String
    public var tagGlCode: String
    public var comment: String
    public var reimbursable: Bool
    public var billable: Bool
    public var taxAmount: Int64
    public var modifiedTaxAmount: Int64
    public var taxCode: String
    public var taxName: String
    public var receiptURL: String

    /// `modifiedCreated` if set, else `created` (`yyyy-MM-dd`).
    public var date: String { modifiedCreated.isEmpty ? created : modifiedCreated }
    /// `modifiedMerchant` if set, else `merchant`; HTML entities are decoded when read.
    public var merchantName: String { modifiedMerchant.isEmpty ? merchant : modifiedMerchant }
    /// Hundredths of the expense currency: `modifiedAmount` if non-zero, else `amount`.
    public var amountInExpenseCurrency: Int64 { modifiedAmount != 0 ? modifiedAmount : amount }
    /// Hundredths of the expense currency: `modifiedTaxAmount` if non-zero, else `taxAmount`.
    public var tax: Int64 { modifiedTaxAmount != 0 ? modifiedTaxAmount : taxAmount }

    /// How an amount in the expense currency becomes one in the report currency: 1 when they are
    /// the same, `convertedAmount / amount` when Expensify converted it, else the rate. nil when
    /// the expense is foreign and neither is present (never posted at zero, SPEC §3).
    public func reportCurrencyFactor(reportCurrency: String) -> Fraction? {
        if currency == reportCurrency { return .one }
        let amount = amountInExpenseCurrency
        if convertedAmount != 0, amount != 0 {
            // Keep the sign in the numerator so the denominator stays positive.
            let sign: Int128 = amount < 0 ? -1 : 1
            return Fraction(numerator: Int128(convertedAmount) * sign, denominator: Int128(amount) * sign)
        }
        if let rate = currencyConversionRate, rate.significand > 0 { return Fraction(rate) }
        return nil
    }
}
