/// One line of `ledgerdrop check`: what was checked, and whether it holds.
public struct CheckFinding: Sendable, Equatable {
    public var ok: Bool
    public var text: String

    public init(ok: Bool, text: String) {
        self.ok = ok
        self.text = text
    }
}
