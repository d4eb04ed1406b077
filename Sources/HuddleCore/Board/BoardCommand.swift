/// What a participant asks of a board. Decided by ``BoardState/decide(_:by:at:)``.
public enum BoardCommand: Sendable, Hashable {
    case addBox(id: String, x: Double, y: Double, width: Double, height: Double, text: String, color: String)
    case moveBox(id: String, x: Double, y: Double)
    case resizeBox(id: String, width: Double, height: Double)
    case editBox(id: String, text: String)
    case recolorBox(id: String, color: String)
    case raiseBox(id: String)
    case deleteBox(id: String)
    /// The owner's or an admin's.
    case renameBoard(name: String)
    /// The owner's or an admin's.
    case deleteBoard

    /// Reads a realtime command (`name` and JSON `data`), or explains what is wrong with it.
    public static func parse(name: String, data: JSONValue, newID: () -> String) throws(CommandRejection) -> BoardCommand {
        func number(_ key: String) throws(CommandRejection) -> Double {
            guard let value = data[key]?.doubleValue, value.isFinite else {
                throw .badRequest("\(name) needs a number '\(key)'")
            }
            return value
        }
        func string(_ key: String) throws(CommandRejection) -> String {
            guard let value = data[key]?.stringValue else { throw .badRequest("\(name) needs a string '\(key)'") }
            return value
        }
        switch name {
        case "addBox":
            return .addBox(
                id: newID(), x: data["x"]?.doubleValue ?? 0, y: data["y"]?.doubleValue ?? 0,
                width: data["width"]?.doubleValue ?? 300, height: data["height"]?.doubleValue ?? 200,
                text: data["text"]?.stringValue ?? "Drag me", color: data["color"]?.stringValue ?? BoardLimits.defaultColor)
        case "moveBox": return .moveBox(id: try string("boxId"), x: try number("x"), y: try number("y"))
        case "resizeBox": return .resizeBox(id: try string("boxId"), width: try number("width"), height: try number("height"))
        case "editBox": return .editBox(id: try string("boxId"), text: try string("text"))
        case "recolorBox": return .recolorBox(id: try string("boxId"), color: try string("color"))
        case "raiseBox": return .raiseBox(id: try string("boxId"))
        case "deleteBox": return .deleteBox(id: try string("boxId"))
        case "renameBoard": return .renameBoard(name: try string("name"))
        case "deleteBoard": return .deleteBoard
        default: throw .unknownCommand(name, kind: "board")
        }
    }
}
