import HuddleCore
public import HuddleGateway
public import Hummingbird
import HummingbirdCore
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
    // A kept-alive connection that falls silent between requests is closed after the idle
    // timeout instead of holding a descriptor for ever. (Before its first request the
    // connection has no such handler yet: GuardedChildChannel's header timeout covers that.)
    let http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(Int64(configuration.idleTimeout)))
    let admission = RealtimeAdmission(
        gateway: gateway, readiness: readiness, origins: configuration.allowedOrigins,
        identify: { [authority = accounts.authority] request in await authority.identity(atUpgrade: request) })
    let connections = ConnectionsPerAddress(limit: configuration.connectionsPerAddress, exempt: configuration.trustedProxies)
    let application = Application(
        router: router,
        // HTTP/1 with the realtime upgrade, behind our own checks from the accept on.
        server: HTTPServerBuilder { responder in
            GuardedChildChannel(
                inner: RealtimeUpgradeChannel(responder: responder, configuration: http1, admission: admission),
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
    // The WebSocket upgrade itself is taken before the router (RealtimeUpgrader); what gets
    // here did not upgrade, and is told why (a cross-site page is refused by RequestGuard).
    router.get("api/v1/realtime") { request, _ -> Response in
        guard readiness.state != .draining else {
            throw APIError(.serviceUnavailable, "This replica is shutting down; reconnect.")
        }
        if request.headers[.upgrade]?.lowercased() == "websocket" {
            throw APIError(
                .badRequest,
                "A WebSocket upgrade needs Sec-WebSocket-Key and Sec-WebSocket-Version: 13, as the first request of its connection.")
        }
        return Response(status: .ok)
    }
    return router
}
