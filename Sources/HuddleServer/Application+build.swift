import HuddleCore
public import HuddleGateway
public import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
public import Logging
import NIOCore
public import ServiceLifecycle
import UnixSignals

/// An assembled replica: the HTTP application, its gateway, and what runs beside them.
public struct HuddleServer: Sendable {
    public let application: Application<RouterResponder<AppRequestContext>>
    public let gateway: Gateway
    public let readiness: Readiness
    let backends: Backends
    let accounts: AccountsComponents
    /// What the apps run beside their routes.
    let appServices: [any Service]
    let configuration: HuddleConfiguration
    let logger: Logger

    /// Runs until SIGTERM or SIGINT, then drains (ready → 503, WebSockets closed with 1012,
    /// in-flight requests finished) and closes the backends. `observability` (the span
    /// exporter) starts first and so stops last, after the spans of the shutdown itself.
    public func run(observability: [any Service] = []) async throws {
        // A group's services stop in reverse order: drain first, then the server, then storage.
        var configuration = ServiceGroupConfiguration(
            services: observability + [
                BackendsService(backends: self.backends, readiness: self.readiness, logger: self.logger),
                self.application,
                AccountWatch(broker: self.backends.broker, gateway: self.gateway, logger: self.logger),
                PresenceKeeper(
                    gateway: self.gateway, presence: self.backends.presence, broker: self.backends.broker,
                    interval: self.configuration.presenceInterval, logger: self.logger),
                DrainService(
                    readiness: self.readiness, gateway: self.gateway, delay: self.configuration.drainDelay,
                    timeout: self.configuration.drainTimeout, logger: self.logger),
            ] + self.appServices,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: self.logger
        )
        // A ceiling on the whole shutdown: past it the services are cancelled (a stuck
        // request, a backend that does not close), so a SIGTERM always ends the process.
        configuration.maximumGracefulShutdownDuration = self.configuration.shutdownCeiling
        configuration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: configuration)
        try await group.run()
    }

    /// Closes the backends; for tests that run ``application`` themselves.
    public func shutdown() async {
        await self.backends.close()
    }
}

/// Builds a replica from its configuration: backends, apps, gateway, routes.
public func buildServer(_ configuration: HuddleConfiguration, logger: Logger) async throws -> HuddleServer {
    HuddleMetrics.bootstrap()
    // Before anything opens: a replica without a signing key must not start at all.
    let (signingKey, generated) = try configuration.auth.signingKey()
    if generated {
        logger.warning(
            "Development mode: access tokens are signed with a random key made at start, so every restart signs everyone out",
            metadata: ["fix": "set auth.jwt-key-file (HUDDLE_AUTH_JWT_KEY_FILE) outside development"])
    }
    let backends = try await Backends.make(configuration, logger: logger)
    let accounts = try await AccountsComponents.make(
        configuration.auth, signingKey: signingKey, accounts: backends.accounts, logger: logger)
    let readiness = Readiness()
    if backends.preparedAtOpen {
        readiness.markBackendsPrepared()
    }
    let apps = installedApps(backends, authority: accounts.authority, configuration: configuration, logger: logger)
    let directory = ChannelDirectory(apps.map(\.channelApp))
    let authority = accounts.authority
    let gateway = Gateway(
        directory: directory, broker: backends.broker, presence: backends.presence,
        configuration: configuration.gateway, logger: logger,
        authenticate: { token in try? await authority.identity(accessToken: token) },
        lookUp: { userID in try await authority.identity(userID: userID) })

    let router = buildRouter(
        configuration: configuration, gateway: gateway, readiness: readiness, backends: backends, apps: apps,
        accounts: accounts, logger: logger)
    let channelConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
        // A kept-alive connection that falls silent between requests is closed after the
        // idle timeout instead of holding a descriptor for ever. (Before its first request
        // the upgrade channel has no such handler yet: GuardedChildChannel's header timeout
        // covers that.)
        http1: .init(idleTimeout: .seconds(Int64(configuration.idleTimeout))),
        // Frames up to twice the message limit are read whole, so that the gateway can
        // answer an oversized message with a clean 1009 rather than a reset connection;
        // larger frames are cut off by the frame decoder, so memory stays bounded.
        ws: .init(
            maxFrameSize: configuration.gateway.maxMessageSize * 2,
            autoPing: .enabled(timePeriod: .seconds(30)))
    )
    let webSocketResponder = router.buildResponder()
    let connections = ConnectionsPerAddress(limit: configuration.connectionsPerAddress, exempt: configuration.trustedProxies)
    let application = Application(
        router: router,
        // hummingbird-websocket's channel behind our own checks from the accept on.
        server: HTTPServerBuilder { responder in
            GuardedChildChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: channelConfiguration),
                connections: connections,
                headTimeout: .seconds(Int64(configuration.headerTimeout)), bodyTimeout: .seconds(Int64(configuration.bodyTimeout)))
        },
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Huddle"),
        onServerRunning: { channel in
            readiness.markListening()
            logger.info(
                "Huddle is serving",
                metadata: ["address": .string(channel.localAddress?.description ?? "?"), "store": .string(configuration.store.rawValue)])
        },
        logger: logger
    )
    return HuddleServer(
        application: application, gateway: gateway, readiness: readiness, backends: backends, accounts: accounts,
        appServices: apps.flatMap(\.services), configuration: configuration, logger: logger)
}

/// The routes: operations, the apps' HTTP APIs, the realtime WebSocket and the web front end.
func buildRouter(
    configuration: HuddleConfiguration, gateway: Gateway, readiness: Readiness, backends: Backends, apps: [any AppRoutes],
    accounts: AccountsComponents, logger: Logger
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestMiddleware(logger: logger))
    router.add(middleware: RequestGuard(origins: configuration.allowedOrigins))
    router.add(
        middleware: FileMiddleware(configuration.publicDirectory, searchForIndexHtml: true, logger: logger)
            // The API description (`/openapi.yaml`): Hummingbird's table has no YAML type.
            .withAdditionalMediaType(MediaType(type: .application, subType: "yaml"), mappedToFileExtension: "yaml"))
    router.add(middleware: IdentityMiddleware(authority: accounts.authority))
    OperationsRoutes(readiness: readiness, backendsHealthy: backends.isHealthy).register(on: router)
    for app in apps {
        app.register(on: router)
    }
    let changes = AccountChanges(broker: backends.broker)
    AuthRoutes(
        authority: accounts.authority, registry: accounts.registry, trustedProxies: configuration.trustedProxies,
        changes: changes
    ).register(on: router)
    UserRoutes(registry: accounts.registry, changes: changes).register(on: router)
    router.ws("api/v1/realtime") { request, _ in
        guard readiness.state != .draining else {
            throw APIError(.serviceUnavailable, "This replica is shutting down; reconnect.")
        }
        return .upgrade([:])
    } onUpgrade: { inbound, outbound, context in
        let name = context.request.uri.queryParameters.get("name").flatMap(AccountValidation.displayName)
        let identity = await accounts.authority.identity(atUpgrade: context.request)
        try await gateway.handle(
            inbound: inbound, outbound: outbound, channel: context.requestContext.channel, name: name, identity: identity)
    }
    return router
}
