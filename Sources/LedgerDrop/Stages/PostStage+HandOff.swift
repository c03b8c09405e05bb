/// The file side of posting: a receipt and its payload into `done/`, or an error file and its
/// payload into `failed/`, each as one durable hand-off (SPEC §6.4), and the audit lines. When
/// the spool fails after X3 answered, the claim stays claimed and X3's entry number goes to the
/// log (stderr) and, where it can still be written, the audit log.
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
            do throws(LedgerDropError) {
                Failpoint.hit("post.before-receipt")
                let receipt = Receipt(payload: job.payload, entry: entry, x3: x3, postedAt: now, attempts: result.attempts, recovered: recovered, diagnoses: diagnoses)
                let staged = try handOff.fill(reservation, with: receipt.bytes(fitting: reservation.size))
                try handOff.flush()
                do { try handOff.place(staged, at: spool.path(.done, job.payload.entryKey + Receipt.suffix), replace: false) } catch {
                    throw LedgerDropError(.spoolUnavailable, "cannot write done/\(job.payload.entryKey)\(Receipt.suffix): \(error)")
                }
                Failpoint.hit("post.receipt-written")
                try audit.append(events + [posted])
            } catch {
                posted.message = "posted, but its receipt cannot be written (\(error.message)); the payload stays claimed and the next post records it"
                try? audit.append(events + [posted])
                logger.error("\(job.name) is in X3 as entry \(entry.entryNumber), but its receipt cannot be written: \(error.message). It stays claimed; the next post finds it in X3 and records it.")
                throw error
            }
            // The receipt is placed: whatever happens to the move, the next run finishes it.
            _ = try spool.moveAvoidingCollision(claims.path(job.name), into: .done, name: job.name)
            keepClaimed.remove(job.name)
            marks.clear(job.payload.entryKey)
            if recovered { summary.recovered += 1 } else { summary.posted += 1 }
            // With a progress bar the bar says it; otherwise one line per item.
            logger.log(level: progress == nil ? .info : .debug, "\(job.name) → X3 entry \(entry.entryNumber)\(recovered ? " (found by lookup)" : "")")
        case .failed(let error, let retryable, let outcomeUnknown, let reply):
            if job.lookupFirst || result.attempts > 0 { keepClaimed.insert(job.name) }
            do throws(LedgerDropError) {
                try audit.append(events)
                try fail(job.name, error, payload: job.payload, attempts: result.attempts, retryable: retryable, outcomeUnknown: outcomeUnknown, reply: reply,
                         firstFailure: result.firstFailure, claims: claims, handOff: handOff, reservation: reservation)
            } catch {
                logger.error("\(job.name) could not be moved to failed/ (\(error.message)); it stays claimed and the next post looks it up in X3 first")
                throw error
            }
            keepClaimed.remove(job.name)
        case .systemic(_, let mayBeInX3), .stopped(let mayBeInX3):
            handOff.discard(reservation)
            if mayBeInX3 || job.lookupFirst { keepClaimed.insert(job.name) }
            try audit.append(events)
        }
    }

    /// Error file first, then the payload, into `failed/`.
    func fail(_ name: String, _ error: LedgerDropError, payload: PayloadFile?, attempts: Int, retryable: Bool, outcomeUnknown: Bool = false, reply: String?,
              firstFailure: Int64?, claims: ClaimArea, handOff: HandOff, reservation: HandOff.Reservation? = nil) throws(LedgerDropError) {
        let now = Timestamp.iso8601(Timestamp.now())
        var errorFile = ErrorFile(stage: .post, error: error, file: name, reportIDs: payload.map { [$0.reference] } ?? [],
                                  entryKey: payload?.entryKey, attempts: attempts, retryable: retryable, at: now,
                                  firstFailureAt: firstFailure.map(Timestamp.iso8601), x3Reply: reply.flatMap { $0.isEmpty ? nil : $0 })
        errorFile.outcomeUnknown = outcomeUnknown ? true : nil
        let failedName = spool.freeName(in: .failed, for: name, companion: ErrorFile.suffix)
        let staged = if let reservation {
            try handOff.fill(reservation, with: errorFile.bytes(fitting: reservation.size))
        } else {
            try handOff.stage(errorFile.bytes)
        }
        try handOff.flush()
        do { try handOff.place(staged, at: spool.path(.failed, failedName + ErrorFile.suffix), replace: false) } catch {
            handOff.discard(staged)
            throw LedgerDropError(.spoolUnavailable, "cannot write failed/\(failedName)\(ErrorFile.suffix): \(error)")
        }
        var failed = AuditEvent(at: now, event: error.code == .retriesExhausted || retryable ? .failed : .rejected, stage: .post, run: runID)
        failed.reportID = payload?.reference ?? ""
        failed.entryKey = payload?.entryKey ?? ""
        failed.file = name
        failed.code = error.code
        failed.message = error.message
        try audit.append([failed])
        let placed = try spool.moveToFailed(claims.path(name), wanted: failedName)
        if let payload { marks.clear(payload.entryKey) }
        summary.failures[error.code, default: 0] += 1
        if !retryable { summary.rejected += 1 }
        logger.warning("\(name) → failed/\(placed): \(error.code.rawValue): \(error.message)")
    }

    func event(_ kind: AuditEvent.Kind, _ payload: PayloadFile, file: String, at now: String) -> AuditEvent {
        var event = AuditEvent(at: now, event: kind, stage: .post, run: runID)
        event.reportID = payload.reference
        event.entryKey = payload.entryKey
        event.file = file
        return event
    }
}
