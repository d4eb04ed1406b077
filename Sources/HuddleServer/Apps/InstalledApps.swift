import AsyncHTTPClient
import HuddleCore
import HuddleGateway
import Hummingbird
import Logging
import ServiceLifecycle

/// An app of the server: its channel app on the gateway and its HTTP routes.
protocol AppRoutes: Sendable {
    var channelApp: any ChannelApp { get }
    func register(on router: Router<AppRequestContext>)
    /// What the app runs beside its routes for as long as the server runs (none by default).
    var services: [any Service] { get }
}

extension AppRoutes {
    var services: [any Service] { [] }
}

/// Every app the server hosts. Adding one is its domain in HuddleCore, a routes file, a line
/// here, and its page.
func installedApps(
    _ backends: Backends, authority: SessionAuthority, configuration: HuddleConfiguration, logger: Logger
) -> [any AppRoutes] {
    let log = EventLog(store: backends.events, broker: backends.broker)
    let passes: @Sendable (Identity) async throws -> SessionAuthority.Grant? = { try await authority.pass(for: $0) }
    // One count per address for every app: a client cannot spread its fill over them.
    let creations = AnonymousCreations(
        throttle: LoginThrottle(attempts: configuration.anonymousCreates, window: .seconds(60), now: LoginThrottle.secondsSinceStart()),
        trustedProxies: configuration.trustedProxies)
    return [
        CounterRoutes(app: CounterApp(counters: backends.counters, log: log), creations: creations),
        BoardRoutes(app: StreamApp<BoardState>(log: log), creations: creations),
        TeamsRoutes(
            app: StreamApp<TournamentState>(log: log), passes: passes, origin: configuration.publicOrigin, creations: creations),
        chatRoutes(log: log, backends: backends, passes: passes, creations: creations, configuration: configuration, logger: logger),
    ]
}

private func chatRoutes(
    log: EventLog, backends: Backends, passes: @escaping @Sendable (Identity) async throws -> SessionAuthority.Grant?,
    creations: AnonymousCreations, configuration: HuddleConfiguration, logger: Logger
) -> ChatRoutes {
    let conversations = StreamApp<ConversationState>(log: log)
    let assistant: ChatAssistant =
        if let llm = configuration.chatLLM {
            .endpoint(ChatCompletions(url: llm.url, model: llm.model, key: llm.key, timeout: llm.timeout, client: .shared, logger: logger))
        } else {
            .builtIn(ChatBot(faq: configuration.chatFAQ))
        }
    let responder = configuration.chatBot ? ChatResponder(app: conversations, assistant: assistant, logger: logger) : nil
    // One fold of the conversation index, for the listings and the sweep alike.
    let index = StateCache<ConversationIndex>(limit: 1)
    let sweeper = responder.map {
        ChatSweeper(app: conversations, index: index, responder: $0, clock: WallClock.millisecondsSince1970, logger: logger)
    }
    return ChatRoutes(
        app: ChatApp(stream: conversations, responder: responder), index: index, accounts: backends.accounts, passes: passes,
        sweeper: sweeper, creations: creations)
}
