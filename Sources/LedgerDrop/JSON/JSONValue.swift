/// A parsed JSON document. Numbers keep their source text so that amounts, 64-bit IDs and
/// exchange rates are never routed through a binary floating-point value (SPEC §3).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue {
    /// The value written back as JSON, with `JSONText`'s escaping. Numbers keep their source
    /// text, so nothing changes value on the way; object keys come out sorted.
    public var encoded: [UInt8] {
        var out = JSONText()
        write(into: &out)
        return out.bytes
    }

    private func write(into out: inout JSONText) {
        switch self {
        case .null: out.raw("null")
        case .bool(let b): out.raw(b ? "true" : "false")
        case .number(let n): out.rawText(n)
        case .string(let s): out.string(s)
        case .array(let items):
            out.raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.raw(",") }
                item.write(into: &out)
            }
            out.raw("]")
        case .object(let fields):
            out.raw("{")
            for (index, field) in fields.fields.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out.raw(",") }
                out.string(field.key)
                out.raw(":")
                field.value.write(into: &out)
            }
            out.raw("}")
        }
    }
}
