import ArgumentParser
import HuddleServer
import Logging

/// `huddle serve`: run one replica.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Huddle replica.",
        discussion: """
            Configuration comes from these flags, then from environment variables, then from \
            defaults. Every flag has an environment variable: HUDDLE_ and the key in upper case \
            with dots and dashes as underscores (--data-dir is HUDDLE_DATA_DIR, --ws-max-message \
            is HUDDLE_WS_MAX_MESSAGE). With no configuration Huddle runs in embedded mode: a SQLite \
            file in the data directory and an in-process broker. With PostgreSQL settings it \
            stores everything in PostgreSQL, migrating the schema at start.
            """
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try self.options.configuration()
        bootstrapLogging(level: configuration.logLevel)
        let server = try await buildServer(configuration, logger: Logger(label: "huddle"))
        try await server.run()
    }
}

/// JSON lines on standard output, at `level`.
func bootstrapLogging(level: Logger.Level) {
    LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
}
