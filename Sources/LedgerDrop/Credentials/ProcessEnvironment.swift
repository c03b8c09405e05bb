/// The process environment as the library keeps it. It holds secrets (`X3_PASSWORD`,
/// `X3_CLIENT_SECRET`, `EXPENSIFY_PARTNER_USER_SECRET`, `LEDGERDROP_MASTER_KEY`, SPEC §9), so it
/// never prints itself: not through `description`, `debugDescription` nor a reflected dump — a
/// type that holds it (a pipeline a service group logs by name) prints nothing secret either.
public struct ProcessEnvironment: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    public subscript(name: String) -> String? { values[name] }

    public var description: String { "(environment: \(values.count) variables, not shown)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
