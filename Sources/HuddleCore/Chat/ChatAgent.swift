/// An agent as a conversation knows them: identity id and the name shown to the customer.
public struct ChatAgent: Sendable, Hashable, Codable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
