/// The file side of posting, decided as one spool transaction per payload: a receipt and its
/// payload into `done/`, or an error file and its payload into `failed/` (SPEC §6.4), with the
/// audit lines. When the spool fails after X3 answered, the claim stays claimed and X3's entry
/// number goes to the log (stderr) and, where it can still be written, the audit log.
extension PostStage {
    func finish(_ job: PostStage.Job, _ result: PostAttempt.Result, reservation: HandOff.Reservation, claims: ClaimArea, handOff: HandOff) throws(LedgerDropError) {
        let now = Timestamp.iso8601(Timestamp.now())
        var events: [AuditEvent] = []
        for reason in result.retries {
            var event = event(.retried, job.payload, file: job.name, at: now)
            event.message = reason
            events.append(event)
        }
        summary.retried += result.retries.count
        switch result.decision {
        case .posted(let entry, let diagnoses, let recovered):
            // X3 holds the entry from here on: until the receipt is placed, the claim stays.
            keepClaimed.insert(job.name)
            var posted = event(recovered ? .recovered : .posted, job.payload, file: job.name, at: now)
            posted.x3EntryNumber = entry.entryNumber
            posted.message = recovered ? "found in X3 by lookup; not posted again" : "\(job.payload.lineCount) lines, \(job.payload.total) \(job.payload.currency)"
            if let moved = job.payload.movedFrom {
                posted.message += "; dated \(job.payload.accountingDate), moved from \(moved) (a closed period)"
                posted.movedFrom = moved.description
            }
            let receipt = Receipt(payload: job.payload, entry: entry, destination: destination, postedAt: now, attempts: result.attempts, recovered: recovered, diagnoses: diagnoses, company: companyName(site: job.payload.site))
            var outputs: [SpoolTransaction.Output] = [.init(content: .reserved(reservation, receipt.bytes(fitting: reservation.size)), destination: spool.path(.done, job.payload.entryKey + Receipt.suffix))]
            if entry.entryNumber.isEmpty, x3.readsX3 {
                // Handed off, or accepted without a number: a later post asks X3 for it (where
                // nothing reads X3, there is no one to ask, and no mark to keep reading).
                outputs.append(.init(content: .bytes(Array(job.name.utf8)), destination: pendingNumbers.path(job.payload.entryKey), replace: true))
            }
            let item = SpoolTransaction.Item(
                outputs: outputs,
                events: events + [posted],
                moves: [.init(from: claims.path(job.name), directory: spool.path(.done), name: job.name)],
                removals: [marks.path(job.payload.entryKey)])
            var reached = SpoolTransaction.Progress()
            do {
                try SpoolTransaction(label: "post", items: [item]).commit(handOff, audit: audit, progress: &reached)
            } catch {
                if !reached.audited {
                    posted.message = "posted, but its receipt cannot be written (\(error.message)); the payload stays claimed and the next post records it"
                    try? audit.append(events + [posted])
                    logger.error("\(job.name) is in X3 as entry \(entry.entryNumber), but its receipt cannot be written: \(error.message). It stays claimed; the next post finds it in X3 and records it.")
                }
                throw error
            }
            keepClaimed.remove(job.name)
            if recovered { summary.recovered += 1 } else { summary.posted += 1 }
            // With a progress bar the bar says it; otherwise one line per item.
            let whereTo = entry.entryNumber.isEmpty ? (destination.handsOff ? "handed off to x3.handoff.folder" : "accepted by X3, its number to be looked up")
                : "X3 entry \(entry.entryNumber)"
            logger.log(level: progress == nil ? .info : .debug, "\(job.name) → \(whereTo)\(recovered ? " (found by lookup)" : "")")
        case .failed(let error, let retryable, let outcomeUnknown, let reply):
            if job.lookupFirst || result.attempts > 0 { keepClaimed.insert(job.name) }
            let failure = Failure(error: error, payload: job.payload, attempts: result.attempts, retryable: retryable, outcomeUnknown: outcomeUnknown,
                                  reply: reply, firstFailure: result.firstFailure)
            do throws(LedgerDropError) {
                try fail(job.name, failure, claims: claims, handOff: handOff, reservation: reservation, before: events)
            } catch {
                logger.error("\(job.name) could not be moved to failed/ (\(error.message)); it stays claimed and the next post looks it up in X3 first")
                throw error
            }
            keepClaimed.remove(job.name)
        case .systemic(_, let mayBeInX3), .stopped(let mayBeInX3):
            handOff.discard(reservation)
            if mayBeInX3 || job.lookupFirst { keepClaimed.insert(job.name) }
            try SpoolTransaction(label: "post", items: [.init(events: events)]).commit(handOff, audit: audit)
        }
    }

    /// Why a payload goes to `failed/`.
    struct Failure {
        var error: LedgerDropError
        var payload: PayloadFile?
        var attempts = 0
        var retryable = false
        var outcomeUnknown = false
        var reply = ""
        var firstFailure: Int64? = nil
    }

    /// Error file first, then the payload, into `failed/`, as one transaction.
    func fail(_ name: String, _ failure: Failure, claims: ClaimArea, handOff: HandOff, reservation: HandOff.Reservation? = nil, before events: [AuditEvent] = []) throws(LedgerDropError) {
        let now = Timestamp.iso8601(Timestamp.now())
        let error = failure.error
        var errorFile = ErrorFile(stage: .post, error: error, file: name, reportIDs: failure.payload.map { [$0.reference] } ?? [],
                                  entryKey: failure.payload?.entryKey, attempts: failure.attempts, retryable: failure.retryable, at: now,
                                  firstFailureAt: failure.firstFailure.map(Timestamp.iso8601), x3Reply: failure.reply.isEmpty ? nil : failure.reply)
        errorFile.outcomeUnknown = failure.outcomeUnknown ? true : nil
        let failedName = spool.freeName(in: .failed, for: name, companion: ErrorFile.suffix)
        let content: SpoolTransaction.Output.Content = if let reservation {
            .reserved(reservation, errorFile.bytes(fitting: reservation.size))
        } else {
            .bytes(errorFile.bytes)
        }
        var failed = AuditEvent(at: now, event: error.code == .retriesExhausted || failure.retryable ? .failed : .rejected, stage: .post, run: runID)
        failed.reportID = failure.payload?.reference ?? ""
        failed.entryKey = failure.payload?.entryKey ?? ""
        failed.file = name
        failed.code = error.code
        failed.message = error.message
        let item = SpoolTransaction.Item(
            outputs: [.init(content: content, destination: spool.path(.failed, failedName + ErrorFile.suffix))],
            events: events + [failed],
            moves: [.init(from: claims.path(name), directory: spool.path(.failed), name: failedName, rule: .firstFreeNameWithCompanion(ErrorFile.suffix))],
            removals: failure.payload.map { [marks.path($0.entryKey)] } ?? [])
        let progress = try SpoolTransaction(label: "post", items: [item]).commit(handOff, audit: audit)
        summary.failures[error.code, default: 0] += 1
        if !failure.retryable { summary.rejected += 1 }
        logger.warning("\(name) → failed/\(progress.movedNames[0]?.first ?? failedName): \(error.code.rawValue): \(error.message)")
    }

    func event(_ kind: AuditEvent.Kind, _ payload: PayloadFile, file: String, at now: String) -> AuditEvent {
        var event = AuditEvent(at: now, event: kind, stage: .post, run: runID)
        event.reportID = payload.reference
        event.entryKey = payload.entryKey
        event.company = companyName(site: payload.site)
        event.file = file
        return event
    }
}
