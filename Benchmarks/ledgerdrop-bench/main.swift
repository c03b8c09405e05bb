// ledgerdrop-bench: the benchmarks of SPEC §11, run by one documented command each.
//
//     swift run -c release ledgerdrop-bench [convert] [reports] [folder] [--pure [--one-core]] [--batch-size=N] [--api=import|soap|graphql]
//     swift run -c release ledgerdrop-bench post [payloads] [latency-ms]
//     swift build -c release && swift run -c release ledgerdrop-bench reconcile [reports] [folder]
let arguments = Array(CommandLine.arguments.dropFirst())
let positional = arguments.filter { !$0.hasPrefix("--") }
if positional.first == "post" {
    try await postBenchmark(Array(positional.dropFirst()))
} else if positional.first == "reconcile" {
    try await reconcileBenchmark(Array(positional.dropFirst()))
} else {
    try convertBenchmark(positional.first == "convert" ? Array(positional.dropFirst()) : positional, pure: arguments.contains("--pure"),
                      batchSize: arguments.first { $0.hasPrefix("--batch-size=") }.flatMap { Int($0.dropFirst(13)) },
                      api: arguments.first { $0.hasPrefix("--api=") }.map { String($0.dropFirst(6)) })
}
