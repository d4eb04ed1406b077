import ArgumentParser

/// The `huddle` command line.
@main
struct Huddle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Huddle: a real-time application server (board, counter, accounts).",
        subcommands: [Serve.self, Migrate.self, UserCommand.self, Bench.self, QRCommand.self],
        defaultSubcommand: Serve.self
    )
}
