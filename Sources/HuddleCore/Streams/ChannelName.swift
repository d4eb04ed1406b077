/// A validated channel (and stream) name: `kind:id`, e.g. `counter:visits`, `board:42`.
///
/// `kind` is 1–32 of `a-z`; `id` is 1–128 of `A-Z a-z 0-9 _ . -`. Anything else is refused
/// before it reaches a store, a broker key or a log line.
public struct ChannelName: Sendable, Hashable, CustomStringConvertible {
    public let kind: String
    public let id: String

    public init?(_ text: String) {
        guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let kind = text[..<colon]
        let id = text[text.index(after: colon)...]
        guard (1...32).contains(kind.utf8.count), kind.utf8.allSatisfy(Self.isKindByte),
            Self.isValidID(id)
        else { return nil }
        self.kind = String(kind)
        self.id = String(id)
    }

    public init?(kind: String, id: String) {
        self.init("\(kind):\(id)")
    }

    public var description: String { "\(self.kind):\(self.id)" }

    /// Whether `id` may stand as the id part of a channel (also used for counter ids in URLs).
    public static func isValidID(_ id: some StringProtocol) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy(Self.isIDByte)
    }

    private static func isKindByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
