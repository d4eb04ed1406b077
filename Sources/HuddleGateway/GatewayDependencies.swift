import HuddleCore
import Logging
import Metrics

/// What every session of a gateway shares.
struct GatewayDependencies: Sendable {
    let hub: LocalHub
    let directory: ChannelDirectory
    let presence: any Presence
    let broker: any Broker
    let configuration: GatewayConfiguration
    let metrics: GatewayMetrics
    let logger: Logger
    /// Turns an `auth` frame's access token into an identity; nil when the token is refused.
    let authenticate: @Sendable (_ accessToken: String) async -> Identity?
    /// A signed-in user as they are now: nil when they are gone or deactivated; throws when the
    /// store cannot say.
    let lookUp: @Sendable (_ userID: String) async throws -> Identity?
}

/// The gateway's metrics, created once (creating a swift-metrics handle costs a registry lookup).
struct GatewayMetrics: Sendable {
    let connections = Gauge(label: "huddle_websocket_connections")
    let framesIn = Counter(label: "huddle_websocket_frames_in_total")
    let framesOut = Counter(label: "huddle_websocket_frames_out_total")
    let signalsDropped = Counter(label: "huddle_websocket_signals_dropped_total")

    func disconnected(_ reason: CloseReason) {
        Counter(label: "huddle_websocket_forced_closes_total", dimensions: [("reason", reason.metricLabel)]).increment()
    }
}
