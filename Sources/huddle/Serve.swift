import ArgumentParser
import Foundation
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
        let tracing = TracingSetup(endpoint: configuration.otlpEndpoint, environment: ProcessInfo.processInfo.environment)
        bootstrapLogging(level: configuration.logLevel, metadataProvider: tracing.logMetadata)
        let spanExporter = try tracing.start()
        let logger = Logger(label: "huddle")
        if let endpoint = tracing.endpointForLog, spanExporter != nil {
            logger.info("Tracing: spans go to an OTLP/HTTP collector", metadata: ["endpoint": .string(endpoint)])
        }
        let server = try await buildServer(configuration, logger: logger)
        try await server.run(observability: spanExporter.map { [$0] } ?? [])
    }
}

/// JSON lines on standard output, at `level`; `metadataProvider` adds fields to every line
/// (the trace ids when tracing is on).
func bootstrapLogging(level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
    LoggingSystem.bootstrap(
        { label, provider in JSONLogHandler(label: label, level: level, metadataProvider: provider) },
        metadataProvider: metadataProvider)
}
