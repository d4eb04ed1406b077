/// How a ``BrokerMessage`` travels through a networked broker (Redis pub/sub): one header
/// line, then the frame exactly as clients receive it.
///
/// `e 18 origin\n{"type":"event",…}`: kind (`e` event, `s` signal, `p` presence), offset,
/// origin (possibly empty), a newline, the frame. The frame is the bulk of the bytes and is
/// never parsed on the way through, so fan-out stays a copy.
extension BrokerMessage {
    public var wireText: String {
        let kind: String =
            switch self.kind {
            case .event: "e"
            case .signal: "s"
            case .presence: "p"
            }
        return "\(kind) \(self.offset) \(self.origin)\n\(self.frame)"
    }

    /// Parses ``wireText``; nil for anything else (a foreign publisher on the channel).
    public init?(wireText text: Substring) {
        guard let newline = text.firstIndex(of: "\n") else { return nil }
        let header = text[..<newline].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard header.count == 3, let offset = Int64(header[1]), offset >= 0 else { return nil }
        let kind: Kind
        switch header[0] {
        case "e": kind = .event
        case "s": kind = .signal
        case "p": kind = .presence
        default: return nil
        }
        guard header[2].allSatisfy({ !$0.isWhitespace }) else { return nil }
        self.init(kind: kind, offset: offset, origin: String(header[2]), frame: String(text[text.index(after: newline)...]))
    }
}
