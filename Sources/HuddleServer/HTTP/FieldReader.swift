import HTTPTypes
import HuddleCore

/// A request body's fields, read leniently: a field of the wrong JSON type is noted as that
/// field's problem, so that it is reported beside the others as a per-field 400 rather than
/// as a decoding error.
struct FieldReader: Decodable {
    private let members: [String: JSONValue]
    var problems: [String: String] = [:]

    init(from decoder: any Decoder) throws {
        guard case .object(let members) = try JSONValue(from: decoder) else {
            throw APIError(.badRequest, "The body must be a JSON object.")
        }
        self.members = members
    }

    private init(members: [String: JSONValue]) {
        self.members = members
    }

    /// No fields at all (a request without a body).
    static let empty = FieldReader(members: [:])

    /// The text of `key`; nil when absent or null (noted when `required`), or not text (noted).
    mutating func text(_ key: String, required: String? = nil) -> String? {
        switch self.members[key] {
        case .string(let text)?: return text
        case nil, .null?:
            if let required { self.problems[key] = required }
            return nil
        default:
            self.problems[key] = "Must be text."
            return nil
        }
    }

    mutating func integer(_ key: String, required: String) -> Int? {
        switch self.members[key] {
        case nil, .null?: self.problems[key] = required
        case let value?:
            if let integer = value.integerValue.flatMap({ Int(exactly: $0) }) { return integer }
            self.problems[key] = "Must be a whole number."
        }
        return nil
    }

    mutating func texts(_ key: String) -> [String]? {
        switch self.members[key] {
        case nil, .null?: return nil
        case .array(let items)? where items.allSatisfy({ $0.stringValue != nil }): return items.compactMap(\.stringValue)
        default:
            self.problems[key] = "Must be a list of names."
            return nil
        }
    }
}
