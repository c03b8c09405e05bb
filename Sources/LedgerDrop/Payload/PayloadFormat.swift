/// The two payload shapes of SPEC §5.1/§5.2, chosen by `x3.api`.
public enum PayloadFormat: String, Sendable, CaseIterable {
    case graphql
    case xml

    public init(api: Configuration.X3.API) {
        self = api == .graphql ? .graphql : .xml
    }

    /// `.graphql.json` or `.xml`, appended to the entry key's file stem.
    public var fileExtension: String { self == .graphql ? ".graphql.json" : ".xml" }

    /// The format of an outbox file name, or nil when it is not a payload.
    public init?(fileName: String) {
        if fileName.hasSuffix(".graphql.json") { self = .graphql } else if fileName.hasSuffix(".xml") { self = .xml } else { return nil }
    }
}

/// A rendered payload: the exact bytes of an outbox file.
public struct Payload: Sendable, Equatable {
    public var entryKey: EntryKey
    public var fileName: String
    public var bytes: [UInt8]
}

/// Renders journal entries as payload files of one format; XML is validated before it is
/// returned (SPEC §5.2).
public struct PayloadRenderer: Sendable {
    public let format: PayloadFormat
    let x3: Configuration.X3
    let operationName: String

    public init(configuration: Configuration) {
        self.format = PayloadFormat(api: configuration.x3.api)
        self.x3 = configuration.x3
        self.operationName = configuration.x3.graphql.mutationOperationName
    }

    public func render(_ entry: JournalEntry) throws(LedgerDropError) -> Payload {
        let bytes: [UInt8]
        switch format {
        case .graphql:
            bytes = GraphQLPayload.render(entry, mutation: x3.graphql.mutation, operationName: operationName)
        case .xml:
            bytes = XMLPayload.render(entry, soap: x3.soap)
            let errors = JournalEntrySchema.shared.validate(bytes)
            if !errors.isEmpty {
                throw LedgerDropError(.invalidPayload, "the XML payload of \(entry.key) does not match the journal-entry schema: \(errors.joined(separator: "; "))")
            }
        }
        return Payload(entryKey: entry.key, fileName: entry.key.fileStem + format.fileExtension, bytes: bytes)
    }
}
