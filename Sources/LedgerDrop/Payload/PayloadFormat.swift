/// The payload shapes of SPEC §13.1, chosen by `x3.api`: the GraphQL request, the object XML of
/// a GAS publication, the import-template records (the `import` and `file` routes).
public enum PayloadFormat: String, Sendable, CaseIterable {
    case graphql
    case xml
    case importRecords

    public init(api: Configuration.X3.API) {
        switch api {
        case .graphql: self = .graphql
        case .soap: self = .xml
        case .import, .file: self = .importRecords
        }
    }

    /// `.graphql.json`, `.xml` or `.import.txt`, appended to the entry key's file stem.
    public var fileExtension: String {
        switch self {
        case .graphql: ".graphql.json"
        case .xml: ".xml"
        case .importRecords: ".import.txt"
        }
    }

    /// The format of an outbox file name, or nil when it is not a payload.
    public init?(fileName: String) {
        guard let format = Self.allCases.first(where: { fileName.hasSuffix($0.fileExtension) }) else { return nil }
        self = format
    }
}

/// A rendered payload: the exact bytes of an outbox file.
public struct Payload: Sendable, Equatable {
    public var entryKey: EntryKey
    public var fileName: String
    public var bytes: [UInt8]
}

/// Renders journal entries as payload files of one format, each checked against its layout
/// before it is returned (SPEC §5.2, §13.2).
public struct PayloadRenderer: Sendable {
    public let format: PayloadFormat
    let x3: Configuration.X3
    let operationName: String
    let importRecords: ImportRecords
    let objectXML: XMLPayload
    let variables: GraphQLVariables?

    public init(configuration: Configuration) {
        self.format = PayloadFormat(api: configuration.x3.api)
        self.x3 = configuration.x3
        self.operationName = configuration.x3.graphql.mutationOperationName
        self.importRecords = ImportRecords(x3: configuration.x3)
        self.objectXML = XMLPayload(x3: configuration.x3)
        self.variables = configuration.x3.graphql.variables.map { GraphQLVariables(template: $0, x3: configuration.x3) }
    }

    public func render(_ entry: JournalEntry) throws(LedgerDropError) -> Payload {
        let bytes: [UInt8]
        switch format {
        case .graphql:
            if let variables {
                bytes = GraphQLPayload.render(entry, mutation: x3.graphql.mutation, operationName: operationName, variables: variables)
                // Checked as the poster reads it.
                let document: JSONValue
                do { document = try JSONParser.parse(bytes) } catch { throw LedgerDropError(.invalidPayload, "the GraphQL payload of \(entry.key) is not JSON: \(error.message)") }
                _ = try variables.read(document["variables"] ?? .null, fileName: entry.key.fileStem + ".graphql.json")
            } else {
                bytes = GraphQLPayload.render(entry, mutation: x3.graphql.mutation, operationName: operationName)
            }
        case .xml:
            bytes = try objectXML.render(entry)
        case .importRecords:
            bytes = try importRecords.render(entry)
        }
        return Payload(entryKey: entry.key, fileName: entry.key.fileStem + format.fileExtension, bytes: bytes)
    }
}
