import HuddleCore
import HuddleGateway
import Synchronization

/// A tiny stream model for gateway tests (`note:*` channels): command `append` stores its
/// data; `refuse` is always refused; `pin` is for signed-in users only and stores who ran it.
struct Notes: StreamModel {
    enum Command: Sendable {
        case append(JSONValue)
        case pin
        case refuse
    }

    static let kind = "note"
    var offset: Int64 = 0

    init() {}

    mutating func apply(_ event: StoredEvent) {
        self.offset = event.offset
    }

    static func parse(command name: String, data: JSONValue) throws(CommandRejection) -> Command {
        switch name {
        case "append": .append(data)
        case "pin": .pin
        case "refuse": .refuse
        default: throw .unknownCommand(name, kind: Self.kind)
        }
    }

    func decide(_ command: Command, by identity: Identity, at now: Int64) throws(CommandRejection) -> NewEvent {
        switch command {
        case .append(let data): return NewEvent(name: "appended", data: data.jsonText)
        case .pin:
            guard !identity.isGuest else { throw CommandRejection(.forbidden, "log in to pin") }
            return NewEvent(name: "pinned", data: JSONValue.object(["by": .string(identity.id)]).jsonText)
        case .refuse: throw CommandRejection(.locked, "not now")
        }
    }
}

/// A channel app (`room:*`) that records who joined and left, through the gateway's hooks.
final class Rooms: ChannelApp {
    let kind = "room"
    let visits = Mutex<[String]>([])

    func history(of channel: ChannelName, after offset: Int64, limit: Int) async throws -> [StoredEvent] { [] }
    func head(of channel: ChannelName) async throws -> Int64 { 0 }
    func handle(command name: String, data: JSONValue, on channel: ChannelName, as identity: Identity) async throws -> Int64 {
        throw CommandRejection.unknownCommand(name, kind: self.kind)
    }

    func joined(_ member: PresenceMember, as identity: Identity, channel: ChannelName) async {
        self.visits.withLock { $0.append("joined \(channel) \(member.name) as \(identity.id)") }
    }

    func left(_ member: PresenceMember, channel: ChannelName) async {
        self.visits.withLock { $0.append("left \(channel) \(member.name)") }
    }
}
