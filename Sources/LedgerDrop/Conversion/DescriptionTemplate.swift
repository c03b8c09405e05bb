/// A text template such as `"{reportName} – {merchant}"`, parsed once: literal text and the
/// placeholders of SPEC §4 (`reportID reportName merchant category comment employee`). An
/// unknown `{word}` stays as written.
struct DescriptionTemplate: Sendable {
    enum Placeholder: String, Sendable, CaseIterable {
        case reportID, reportName, merchant, category, comment, employee
    }

    enum Segment: Sendable, Equatable {
        case text(String)
        case value(Placeholder)
    }

    let segments: [Segment]

    init(_ template: String) {
        var segments: [Segment] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}"),
                  let placeholder = Placeholder(rawValue: String(rest[rest.index(after: open)..<close])) else {
                segments.append(.text(String(rest[...open])))
                rest = rest[rest.index(after: open)...]
                continue
            }
            if open > rest.startIndex { segments.append(.text(String(rest[..<open]))) }
            segments.append(.value(placeholder))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        self.segments = segments
    }

    func fill(_ value: (Placeholder) -> String) -> String {
        var result = ""
        for segment in segments {
            switch segment {
            case .text(let text): result += text
            case .value(let placeholder): result += value(placeholder)
            }
        }
        return result
    }
}
