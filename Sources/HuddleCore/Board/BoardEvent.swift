/// What happened to a board: the events of its stream (`board:{id}`).
public enum BoardEvent: Sendable, Hashable {
    case boxAdded(Box)
    case boxMoved(id: String, x: Double, y: Double, by: String, at: Int64)
    case boxResized(id: String, width: Double, height: Double, by: String, at: Int64)
    case boxEdited(id: String, text: String, by: String, at: Int64)
    case boxRecolored(id: String, color: String)
    case boxRaised(id: String, z: Int)
    case boxDeleted(id: String)
    case boardRenamed(name: String, by: String)
    case boardDeleted(by: String)

    /// The stored form: a name and JSON data.
    public var stored: NewEvent {
        switch self {
        case .boxAdded(let box):
            NewEvent(name: "boxAdded", data: Self.json(box))
        case .boxMoved(let id, let x, let y, let by, let at):
            NewEvent(name: "boxMoved", data: JSONValue.object([
                "boxId": .string(id), "x": .double(x), "y": .double(y), "by": .string(by), "at": .integer(at),
            ]).jsonText)
        case .boxResized(let id, let width, let height, let by, let at):
            NewEvent(name: "boxResized", data: JSONValue.object([
                "boxId": .string(id), "width": .double(width), "height": .double(height), "by": .string(by),
                "at": .integer(at),
            ]).jsonText)
        case .boxEdited(let id, let text, let by, let at):
            NewEvent(name: "boxEdited", data: JSONValue.object([
                "boxId": .string(id), "text": .string(text), "by": .string(by), "at": .integer(at),
            ]).jsonText)
        case .boxRecolored(let id, let color):
            NewEvent(name: "boxRecolored", data: JSONValue.object(["boxId": .string(id), "color": .string(color)]).jsonText)
        case .boxRaised(let id, let z):
            NewEvent(name: "boxRaised", data: JSONValue.object(["boxId": .string(id), "z": .integer(Int64(z))]).jsonText)
        case .boxDeleted(let id):
            NewEvent(name: "boxDeleted", data: JSONValue.object(["boxId": .string(id)]).jsonText)
        case .boardRenamed(let name, let by):
            NewEvent(name: "boardRenamed", data: JSONValue.object(["name": .string(name), "by": .string(by)]).jsonText)
        case .boardDeleted(let by):
            NewEvent(name: "boardDeleted", data: JSONValue.object(["by": .string(by)]).jsonText)
        }
    }

    private static func json(_ box: Box) -> String {
        var members: [String: JSONValue] = [
            "id": .string(box.id), "x": .double(box.x), "y": .double(box.y), "width": .double(box.width),
            "height": .double(box.height), "text": .string(box.text), "color": .string(box.color),
            "z": .integer(Int64(box.z)),
        ]
        if let heldBy = box.heldBy { members["heldBy"] = .string(heldBy) }
        if let heldAt = box.heldAt { members["heldAt"] = .integer(heldAt) }
        return JSONValue.object(members).jsonText
    }
}
