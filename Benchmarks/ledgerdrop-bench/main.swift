// ledgerdrop-bench: the benchmarks of SPEC §11, run by one documented command each.
//
//     swift run -c release ledgerdrop-bench [convert] [reports] [folder] [--pure] [--batch-size=N]
//     swift run -c release ledgerdrop-bench post [payloads] [latency-ms]
let arguments = Array(CommandLine.arguments.dropFirst())
let positional = arguments.filter { !$0.hasPrefix("--") }
if positional.first == "post" {
    try await postBenchmark(Array(positional.dropFirst()))
} else {
    try convertBenchmark(positional.first == "convert" ? Array(positional.dropFirst()) : positional, pure: arguments.contains("--pure"),
                      batchSize: arguments.first { $0.hasPrefix("--batch-size=") }.flatMap { Int($0.dropFirst(13)) })
}
