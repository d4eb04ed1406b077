import HuddleCore
import HuddleGateway
import Hummingbird

/// An app of the server: its channel app on the gateway and its HTTP routes.
protocol AppRoutes: Sendable {
    var channelApp: any ChannelApp { get }
    func register(on router: Router<AppRequestContext>)
}

/// Every app the server hosts. Adding one is its domain in HuddleCore, a routes file, a line
/// here, and its page.
func installedApps(_ backends: Backends, authority: SessionAuthority, origin: PublicOrigin) -> [any AppRoutes] {
    let log = EventLog(store: backends.events, broker: backends.broker)
    return [
        CounterRoutes(app: CounterApp(counters: backends.counters, log: log)),
        BoardRoutes(app: StreamApp<BoardState>(log: log)),
        TeamsRoutes(app: StreamApp<TournamentState>(log: log), passes: { try await authority.pass(for: $0) }, origin: origin),
    ]
}
