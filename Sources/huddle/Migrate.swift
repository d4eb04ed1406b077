import ArgumentParser
import HuddleServer
import HuddleStorage
import Logging

/// `huddle migrate`: bring the configured database's schema up to date, then exit.
///
/// Replicas also migrate at start; this is for deployments that migrate in a separate step
/// (a Kubernetes Job before a rollout).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending schema migrations and exit.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try self.options.configuration()
        bootstrapLogging(level: configuration.logLevel)
        let logger = Logger(label: "huddle")
        switch configuration.store {
        case .postgres:
            guard let settings = configuration.postgres else { return }
            let database = PostgresStorage(settings: settings, logger: logger)
            let applied = try await database.withRunning { try await database.migrate() }
            logger.info(
                "Schema is current",
                metadata: ["applied": "\(applied)", "version": "\(PostgresStorage.latestSchemaVersion)"])
        case .sqlite:
            // Opening the embedded database migrates it.
            try await migrateStorage(configuration, logger: logger)
            logger.info("Schema is current")
        case .memory:
            logger.info("The memory store has no schema to migrate")
        }
    }
}
