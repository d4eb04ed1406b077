#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A board as its events leave it: a fold of its stream. Replicas decide commands against
/// it and append with its offset as the expected one, so two racing commands on one board
/// cannot both win: the loser retries against the newer state (and may then be refused).
public struct BoardState: Sendable, Hashable {
    public static let kind = "board"

    public private(set) var boxes: [String: Box] = [:]
    /// Set by the board's first event, `boardCreated`; nil for a board that does not exist.
    public private(set) var name: String?
    /// Who created the board (may rename or delete it, as may an admin).
    public private(set) var owner: String?
    /// When the board was created (ms since 1970).
    public private(set) var createdAt: Int64?
    /// Deleted boards keep their stream (and its offsets) but refuse every command.
    public private(set) var deleted = false
    /// The offset of the last event folded in.
    public private(set) var offset: Int64 = 0

    public init() {}

    /// Boxes bottom to top.
    public var stackingOrder: [Box] {
        self.boxes.values.sorted { $0.z < $1.z }
    }

    private var topZ: Int { self.boxes.values.map(\.z).max() ?? 0 }

    /// The event `command` produces, or why it is refused. `actor` is who asks (a user id or
    /// a guest's connection), `now` ms since 1970.
    /// `manager`: whether whoever asks may rename or delete the board (see ``mayManage(_:)``).
    public func decide(
        _ command: BoardCommand, by actor: String, at now: Int64, manager: Bool = false
    ) throws(CommandRejection) -> BoardEvent {
        guard self.exists else { throw CommandRejection(.notFound, "there is no such board") }
        switch command {
        case .renameBoard(let name):
            guard manager else { throw CommandRejection(.forbidden, "only the board's owner or an admin may rename it") }
            return .boardRenamed(name: try Self.checked(name: name), by: actor)
        case .deleteBoard:
            guard manager else { throw CommandRejection(.forbidden, "only the board's owner or an admin may delete it") }
            return .boardDeleted(by: actor)
        case .addBox(let id, let x, let y, let width, let height, let text, let color):
            guard self.boxes.count < BoardLimits.maxBoxes else {
                throw CommandRejection(.boardFull, "a board holds at most \(BoardLimits.maxBoxes) boxes")
            }
            try Self.check(x: x, y: y)
            try Self.check(width: width, height: height)
            try Self.check(text: text)
            try Self.check(color: color)
            return .boxAdded(Box(id: id, x: x, y: y, width: width, height: height, text: text, color: color, z: self.topZ + 1))
        case .moveBox(let id, let x, let y):
            try self.mayChange(id, by: actor, at: now)
            try Self.check(x: x, y: y)
            return .boxMoved(id: id, x: x, y: y, by: actor, at: now)
        case .resizeBox(let id, let width, let height):
            try self.mayChange(id, by: actor, at: now)
            try Self.check(width: width, height: height)
            return .boxResized(id: id, width: width, height: height, by: actor, at: now)
        case .editBox(let id, let text):
            try self.mayChange(id, by: actor, at: now)
            try Self.check(text: text)
            return .boxEdited(id: id, text: text, by: actor, at: now)
        case .recolorBox(let id, let color):
            _ = try self.box(id)
            try Self.check(color: color)
            return .boxRecolored(id: id, color: color)
        case .raiseBox(let id):
            _ = try self.box(id)
            return .boxRaised(id: id, z: self.topZ + 1)
        case .deleteBox(let id):
            try self.mayChange(id, by: actor, at: now)
            return .boxDeleted(id: id)
        }
    }

    /// Created and not deleted.
    public var exists: Bool { self.name != nil && !self.deleted }

    /// Whether `identity` may rename or delete the board: its owner, or an admin.
    public func mayManage(_ identity: Identity) -> Bool {
        identity.isAdmin || (self.owner != nil && identity.id == self.owner)
    }

    /// Folds one stored event in. Events it does not know are skipped (a newer replica may
    /// have written them), but the offset still moves.
    public mutating func apply(_ event: StoredEvent) {
        self.offset = event.offset
        guard let data = try? JSONDecoder().decode(JSONValue.self, from: Data(event.data.utf8)) else { return }
        let id = data["boxId"]?.stringValue ?? ""
        let by = data["by"]?.stringValue
        let at = data["at"]?.integerValue
        switch event.name {
        case "boardCreated":
            self.name = data["name"]?.stringValue
            self.owner = data["owner"]?.stringValue
            self.createdAt = event.recordedAt
        case "boardRenamed":
            guard let name = data["name"]?.stringValue else { return }
            self.name = name
        case "boardDeleted":
            self.deleted = true
            self.boxes = [:]
        case "boxAdded":
            guard let box = try? JSONDecoder().decode(Box.self, from: Data(event.data.utf8)) else { return }
            self.boxes[box.id] = box
        case "boxMoved":
            guard let x = data["x"]?.doubleValue, let y = data["y"]?.doubleValue else { return }
            self.boxes[id]?.x = x
            self.boxes[id]?.y = y
            self.hold(id, by: by, at: at)
        case "boxResized":
            guard let width = data["width"]?.doubleValue, let height = data["height"]?.doubleValue else { return }
            self.boxes[id]?.width = width
            self.boxes[id]?.height = height
            self.hold(id, by: by, at: at)
        case "boxEdited":
            guard let text = data["text"]?.stringValue else { return }
            self.boxes[id]?.text = text
            self.hold(id, by: by, at: at)
        case "boxRecolored":
            guard let color = data["color"]?.stringValue else { return }
            self.boxes[id]?.color = color
        case "boxRaised":
            guard let z = data["z"]?.integerValue.flatMap({ Int(exactly: $0) }) else { return }
            self.boxes[id]?.z = z
        case "boxDeleted":
            self.boxes[id] = nil
        default:
            break
        }
    }

    /// The first event of a new board's stream.
    public static func creation(name: String, owner: String) throws(CommandRejection) -> NewEvent {
        NewEvent(
            name: "boardCreated",
            data: JSONValue.object(["name": .string(try Self.checked(name: name)), "owner": .string(owner)]).jsonText)
    }

    /// A board's name without surrounding white space: 1 to 80 characters, no control characters.
    static func checked(name: String) throws(CommandRejection) -> String {
        let trimmed = String(name.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard (1...80).contains(trimmed.count), trimmed.utf8.count <= BoardLimits.nameBytes, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .badRequest("a board's name is 1 to 80 characters, without control characters") }
        return trimmed
    }

    private mutating func hold(_ id: String, by actor: String?, at time: Int64?) {
        self.boxes[id]?.heldBy = actor
        self.boxes[id]?.heldAt = time
    }

    private func box(_ id: String) throws(CommandRejection) -> Box {
        guard let box = self.boxes[id] else { throw CommandRejection(.notFound, "no box \(id) on this board") }
        return box
    }

    /// Seed 000's soft lock: a box someone else moved or edited in the last 2 s is theirs.
    private func mayChange(_ id: String, by actor: String, at now: Int64) throws(CommandRejection) {
        let box = try self.box(id)
        if let holder = box.heldBy, holder != actor, let heldAt = box.heldAt,
            now - heldAt < BoardLimits.softLockMilliseconds
        {
            throw CommandRejection(.locked, "someone else is moving this box")
        }
    }

    private static func check(x: Double, y: Double) throws(CommandRejection) {
        guard BoardLimits.canvas.contains(x), BoardLimits.canvas.contains(y) else {
            throw .badRequest("x and y must be within 0…10000")
        }
    }

    private static func check(width: Double, height: Double) throws(CommandRejection) {
        guard BoardLimits.size.contains(width), BoardLimits.size.contains(height) else {
            throw .badRequest("width and height must be within 20…4000")
        }
    }

    private static func check(text: String) throws(CommandRejection) {
        guard text.count <= BoardLimits.textLength, text.utf8.count <= BoardLimits.textBytes else {
            throw .badRequest("a box holds at most \(BoardLimits.textLength) characters (\(BoardLimits.textBytes) bytes)")
        }
    }

    private static func check(color: String) throws(CommandRejection) {
        let hex = color.utf8.dropFirst()
        guard color.first == "#", hex.count == 6, hex.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
            throw .badRequest("color must be #rrggbb in lower case")
        }
    }
}
