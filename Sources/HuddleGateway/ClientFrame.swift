#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
package import HuddleCore

/// A frame a client sends (see `docs/PROTOCOL.md`). Fields not used by a type are ignored.
package struct ClientFrame: Decodable {
    package var type: String
    package var id: String?
    package var channel: String?
    package var since: Int64?
    package var name: String?
    package var data: JSONValue?
    /// An `auth` frame's access token.
    package var token: String?
}

extension ClientFrame {
    /// Why a message is not a frame, in words for the client (a field's name, never its value).
    package struct Unreadable: Error {
        package var reason: String
    }

    /// Reads one text message from a client: any text at all (`Fuzz/ClientFrameFuzzer` feeds it
    /// arbitrary bytes), so it never traps.
    package static func decode(_ text: String) throws(Unreadable) -> ClientFrame {
        do {
            return try JSONDecoder().decode(ClientFrame.self, from: Data(text.utf8))
        } catch {
            throw Unreadable(reason: Self.problem(error))
        }
    }

    private static func problem(_ error: any Error) -> String {
        let expected = "expected a JSON object with a string 'type'"
        switch error {
        case DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return field.isEmpty ? expected : "'\(field.prefix(64))' must be \(Self.name(of: type))"
        case DecodingError.keyNotFound(let key, _):
            return "'\(key.stringValue.prefix(64))' is missing; \(expected)"
        case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "'\(field.prefix(64))' holds a value that cannot be used (a number too large, a string that is not text)"
        default:
            // Foundation's parser says no more than this for a syntax error, a number no type can
            // hold (1e309) and too deep a nesting alike.
            return "not valid JSON (a syntax error, a number out of range, or nesting deeper than 512 levels); \(expected)"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int64.Type, is Int.Type: "a whole number"
        default: "of another type"
        }
    }
}
