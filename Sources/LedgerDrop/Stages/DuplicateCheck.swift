import Logging

/// SPEC §5.9: a report whose entry key is already in `outbox/`, a post claim or `done/` is not
/// converted again. For a recovered claim, a payload with the same key and identical bytes is
/// the crashed run's own hand-off, not a duplicate (SPEC §2.2). Pure but for reading the spool,
/// so that it runs beside the hand-off of the batch before.
struct DuplicateCheck: Sendable {
    let spool: Spool
    let force: Bool
    let logger: Logger

    /// Where an entry's payload already is, if anywhere.
    enum Existing {
        case outbox(String)
        case claimed(String)
        case done(String)

        var path: String {
            switch self {
            case .outbox(let p), .claimed(let p), .done(let p): p
            }
        }
    }

    func existing(_ payload: Payload, claimedForPosting: Set<String>) -> Existing? {
        let stem = payload.entryKey.fileStem
        for format in PayloadFormat.allCases {
            let name = stem + format.fileExtension
            if FileSystem.exists(spool.path(.outbox, name)) { return .outbox(spool.path(.outbox, name)) }
            if claimedForPosting.contains(name) { return .claimed(name) }
        }
        // Whatever the route, a posted or handed-off entry has its receipt in done/ (placed before
        // its payload moves there): the payload beside it is looked for only then.
        let receipt = spool.path(.done, stem + Receipt.suffix)
        guard FileSystem.exists(receipt) else { return nil }
        for format in PayloadFormat.allCases where FileSystem.exists(spool.path(.done, stem + format.fileExtension)) {
            return .done(spool.path(.done, stem + format.fileExtension))
        }
        return .done(receipt)
    }

    /// Decides which payloads of each converted item are placed. `inFlight`: payload names the
    /// batch before is handing off right now (its files may or may not be in `outbox/` yet).
    func check(_ items: inout [ConvertStage.WorkItem], inFlight: [String: String] = [:]) {
        let claimedForPosting = ClaimArea(spool: spool, stage: .post).allClaimedNames()
        // The lookups in the spool are most of the check's time: they run side by side.
        let lookups = items.concurrentMap { item -> [Existing?] in
            guard case .converted(let payloads) = item.conversion.outcome else { return [] }
            return payloads.map { existing($0, claimedForPosting: claimedForPosting) }
        }
        var keysOfThisBatch = inFlight
        for index in items.indices {
            guard case .converted(let payloads) = items[index].conversion.outcome else { continue }
            var problems: [Problem] = []
            var toPlace: [Payload] = []
            for (payload, existing) in zip(payloads, lookups[index]) {
                if let other = keysOfThisBatch[payload.fileName] {
                    problems.append(Problem(.duplicateReport, "entry \(payload.entryKey) is also converted from \(other) in this run"))
                    continue
                }
                keysOfThisBatch[payload.fileName] = items[index].name
                guard let found = existing else {
                    toPlace.append(payload)
                    continue
                }
                if items[index].recovered, found.isIdentical(to: payload, spool: spool) {
                    continue
                }
                if force, case .outbox(let path) = found, path.hasSuffix(payload.fileName) {
                    items[index].replacing.insert(payload.fileName)
                    toPlace.append(payload)
                    continue
                }
                if force, case .done = found {
                    logger.warning("--force: \(payload.entryKey) is already posted (\(found.path)); the poster will not post it twice")
                    toPlace.append(payload)
                    continue
                }
                problems.append(Problem(.duplicateReport, message(payload, found)))
            }
            if problems.isEmpty {
                items[index].payloads = toPlace
            } else {
                items[index].conversion.outcome = .failed(LedgerDropError(problems: problems))
            }
        }
    }

    private func message(_ payload: Payload, _ found: Existing) -> String {
        switch found {
        case .outbox(let path):
            return "entry \(payload.entryKey) was converted before and waits in outbox/\(path.split(separator: "/").last!) (use --force to replace it)"
        case .claimed(let name):
            return "entry \(payload.entryKey) is being posted right now (\(name))"
        case .done:
            var message = "entry \(payload.entryKey) was already posted (done/\(payload.entryKey.fileStem))"
            if let number = Receipt.entryNumber(in: spool, key: payload.entryKey) { message += " as X3 entry \(number)" }
            return message
        }
    }
}

extension DuplicateCheck.Existing {
    func isIdentical(to payload: Payload, spool: Spool) -> Bool {
        let path: String
        switch self {
        case .outbox(let p), .done(let p): path = p
        case .claimed(let name):
            // The poster holds it: look in its claim folders.
            let base = spool.claims(.post)
            path = FileSystem.list(base).map { "\(base)/\($0)/\(name)" }.first(where: FileSystem.exists) ?? ""
        }
        return (try? FileSystem.read(path, limit: payload.bytes.count + 1)) == payload.bytes
    }
}
