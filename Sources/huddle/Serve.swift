import ArgumentParser
import Configuration
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
            file in the data directory and an in-process broker.
            """
    )

    @Option(help: "Address to listen on. [env: HUDDLE_HOST, default: 127.0.0.1]")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one. [env: HUDDLE_PORT, default: 8080]")
    var port: Int?

    @Option(help: "Directory of the embedded database, created on first run. [env: HUDDLE_DATA_DIR, default: ./data]")
    var dataDir: String?

    @Option(help: "Directory of the web front end. [env: HUDDLE_PUBLIC_DIR, default: Public]")
    var publicDir: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical. [env: HUDDLE_LOG_LEVEL, default: info]")
    var logLevel: String?

    @Option(help: "sqlite (durable) or memory (lost on exit). [env: HUDDLE_STORE, default: sqlite]")
    var store: String?

    @Option(help: "Largest WebSocket message a client may send, in bytes. [env: HUDDLE_WS_MAX_MESSAGE, default: 65536]")
    var wsMaxMessage: Int?

    @Option(help: "Commands (and signals) per second per connection. [env: HUDDLE_WS_COMMANDS_PER_SECOND, default: 50]")
    var wsCommandsPerSecond: Int?

    @Option(help: "Commands a connection may send in a burst. [env: HUDDLE_WS_COMMAND_BURST, default: 100]")
    var wsCommandBurst: Int?

    @Option(help: "Frames queued for a client before it is closed as a slow consumer. [env: HUDDLE_WS_SEND_QUEUE, default: 1024]")
    var wsSendQueue: Int?

    @Option(help: "Channels one connection may subscribe to. [env: HUDDLE_WS_MAX_CHANNELS, default: 100]")
    var wsMaxChannels: Int?

    func run() async throws {
        let configuration: HuddleConfiguration
        do {
            configuration = try HuddleConfiguration(reader: self.reader())
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        let logger = Logger(label: "huddle")
        let server = try await buildServer(configuration, logger: logger)
        try await server.run()
    }

    /// Flags first, then `HUDDLE_*` environment variables.
    private func reader() -> ConfigReader {
        var flags: [AbsoluteConfigKey: ConfigValue] = [:]
        func set(_ key: AbsoluteConfigKey, _ value: (any CustomStringConvertible)?) {
            if let value { flags[key] = ConfigValue(.string(value.description), isSecret: false) }
        }
        set("host", self.host)
        set("port", self.port)
        set("data-dir", self.dataDir)
        set("public-dir", self.publicDir)
        set("log-level", self.logLevel)
        set("store", self.store)
        set("ws.max-message", self.wsMaxMessage)
        set("ws.commands-per-second", self.wsCommandsPerSecond)
        set("ws.command-burst", self.wsCommandBurst)
        set("ws.send-queue", self.wsSendQueue)
        set("ws.max-channels", self.wsMaxChannels)
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: flags),
            EnvironmentVariablesProvider().prefixKeys(with: "huddle"),
        ])
    }
}
