/// What `ledgerdrop --version` says: the package's version, set here for each release, and the
/// git commit the binary was built from (`BuildCommit`, written by Plugins/Embed at build time;
/// `+changes` when the checkout had uncommitted changes, `unknown` outside a git checkout).
enum Version {
    static let package = "0.13.0"
    static var text: String { "ledgerdrop \(package) (commit \(BuildCommit.commit))" }
}
