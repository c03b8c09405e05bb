import Testing

/// Every end-to-end suite runs the built binary; they run one at a time so that timing-sensitive
/// tests (kills at random points) do not compete with each other for the two cores.
@Suite("End to end", .serialized)
enum EndToEnd {}
