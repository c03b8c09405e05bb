/// What X3 holds of the period's posted entries (issue 12): each entry read back with its lines
/// by type and number (an entry handed off or accepted without a number is first found by the
/// lookup of SPEC §13.5), compared with its payload, and both added to the totals — up to
/// `x3.concurrency` reads at once, each entry's lines dropped once counted, so memory stays flat.
struct X3Side: Sendable {
    /// What X3 said of one entry.
    enum Check: Sendable, Equatable {
        case same
        case missing
        case different([String])
        /// Handed to `x3.handoff.folder`, and X3 has not loaded it yet.
        case notLoaded
        /// Not read; why.
        case notAsked(String)
    }

    /// One posted entry to check: its receipt and payload in `done/` (paths made when read,
    /// not held for a year of entries at once).
    struct Posted: Sendable {
        var key: String
        var company: String
        /// The payload's format; nil when no payload lies beside the receipt.
        var format: PayloadFormat?
        var spool: Spool

        var payload: String { format.map { spool.path(.done, key + $0.fileExtension) } ?? "" }
        var receipt: String { spool.path(.done, key + Receipt.suffix) }
    }

    /// What one entry's read gives: the check, and the lines to count.
    struct Answer: Sendable {
        var key: String
        var check: Check
        var payload: PayloadFile?
        var entry: X3PostedEntry?
        var number: String
        var company: String
        var entryType = ""
        var handedOff = false
        /// The payload's debit total and currency, kept once the payload itself is let go.
        var total = ""
        var currency = ""
        /// The receipt's `postedAt` day.
        var postedOn = ""
    }

    let reader: GraphQLTransport
    let transport: any X3Transport
    let x3: Configuration.X3
    let backoff: Backoff
    let clock: any Clock<Duration>

    init(reader: GraphQLTransport, transport: any X3Transport, x3: Configuration.X3, clock: any Clock<Duration> = ContinuousClock()) {
        self.reader = reader
        self.transport = transport
        self.x3 = x3
        self.backoff = Backoff(base: x3.backoff)
        self.clock = clock
    }

    /// One entry: its payload and receipt read, its number found if need be, X3's entry read.
    func check(_ posted: Posted) async throws(LedgerDropError) -> Answer {
        var answer = Self.local(posted, x3: x3, notAsked: "")
        guard let payload = answer.payload, answer.check == .notAsked("") else { return answer }
        if answer.number.isEmpty {
            // Handed off, or accepted without a number: the lookup finds it, or it is not there (yet).
            guard let found = try await retrying({ () async throws(LookupFailure) -> [X3Entry] in try await transport.lookup(payload) }).first else {
                answer.check = answer.handedOff ? .notLoaded : .missing
                return answer
            }
            answer.number = found.entryNumber
        }
        let type = answer.entryType.isEmpty ? payload.entryType : answer.entryType
        let number = answer.number
        guard let entry = try await retrying({ () async throws(LookupFailure) -> X3PostedEntry? in try await reader.readEntry(type: type, number: number) }) else {
            answer.check = .missing
            return answer
        }
        answer.entry = entry
        let differences = EntryComparison.differences(payload: payload, x3: entry)
        answer.check = differences.isEmpty ? .same : .different(differences)
        return answer
    }

    /// What the spool alone says of a posted entry: its receipt's number and company, its
    /// payload read back; `.notAsked(notAsked)` until X3 is asked.
    static func local(_ posted: Posted, x3: Configuration.X3, notAsked: String) -> Answer {
        var answer = Answer(key: posted.key, check: .notAsked(notAsked), number: "", company: posted.company)
        guard let receiptBytes = try? FileSystem.read(posted.receipt, limit: 1 << 20), let receipt = try? JSONParser.parse(receiptBytes) else {
            answer.check = .notAsked("its receipt cannot be read")
            return answer
        }
        func text(_ key: String) -> String { if case .string(let s)? = receipt[key] { s } else { "" } }
        answer.number = text("x3EntryNumber")
        answer.entryType = text("x3EntryType")
        answer.handedOff = receipt["handedOff"] == .bool(true)
        answer.postedOn = String(text("postedAt").prefix(10))
        if answer.company.isEmpty { answer.company = text("company") }
        guard !posted.payload.isEmpty, let bytes = try? FileSystem.read(posted.payload, limit: ReportFile.maxFileBytes),
              let payload = try? PayloadFile.read(fileName: String(posted.payload.split(separator: "/").last ?? ""), bytes: bytes, x3: x3) else {
            answer.check = .notAsked("its payload is not readable beside its receipt")
            return answer
        }
        answer.payload = payload
        answer.total = payload.total
        answer.currency = payload.currency
        return answer
    }

    /// A read, tried again while X3 does not answer readably (`x3.retries`, with backoff); a
    /// refusal or a systemic failure ends it.
    func retrying<T>(_ read: () async throws(LookupFailure) -> T) async throws(LedgerDropError) -> T {
        var tries = 0
        while true {
            do {
                return try await read()
            } catch {
                switch error.outcome {
                case .systemic(let failure): throw failure
                case .rejected(let failure, _): throw LedgerDropError(.x3Rejected, "X3 refused the read of a posted entry: \(failure.message)")
                case .retryable(let reason, let cause, _):
                    tries += 1
                    guard tries <= x3.retries else { throw LedgerDropError(.x3Unreachable, "X3 did not answer the read of a posted entry: \(reason)") }
                    try? await clock.sleep(for: backoff.delay(before: tries, retryAfter: cause.retryAfter))
                case .posted, .accepted:
                    throw LedgerDropError(.x3Unreachable, "X3's answer to a read could not be understood")
                }
            }
        }
    }
}
