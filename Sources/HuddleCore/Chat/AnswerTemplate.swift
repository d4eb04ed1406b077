/// A FAQ answer with what the bot remembers filled in.
///
/// - `{name}` and `{order}` are the customer's name and order number. Where one is not known it
///   becomes `there` or `your order`, so that "Hello {name}!" still reads "Hello there!".
/// - `[A|B]` is A when every placeholder in A is known, else B; `[A]` is A or nothing. So
///   "[Order #{order} left|Orders leave] our warehouse the same day" reads well either way.
///
/// No nesting, and `[`, `]`, `|`, `{`, `}` mean only this; ``problem(in:)`` says what is wrong
/// with a template, so a FAQ with a typo is refused when it is loaded, not shown to customers.
struct AnswerTemplate: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case text(String)
        case placeholder(String)
        case choice([Piece], otherwise: [Piece])
    }

    static let fallbacks = ["name": "there", "order": "your order"]

    let pieces: [Piece]

    init(_ text: String) throws(InvalidFAQ) {
        var pieces: [Piece] = []
        var group: (first: [Piece], second: [Piece]?)?
        var characters = text.makeIterator()
        func add(_ piece: Piece) {
            if group == nil {
                pieces.append(piece)
            } else if group?.second != nil {
                group?.second?.append(piece)
            } else {
                group?.first.append(piece)
            }
        }
        var literal = ""
        func flush() {
            if !literal.isEmpty { add(.text(literal)) }
            literal = ""
        }
        while let character = characters.next() {
            switch character {
            case "{":
                flush()
                var name = ""
                var closed = false
                while let next = characters.next() {
                    if next == "}" {
                        closed = true
                        break
                    }
                    name.append(next)
                }
                guard closed else { throw InvalidFAQ("a { without its }") }
                guard Self.fallbacks[name] != nil else {
                    throw InvalidFAQ("unknown placeholder {\(name)} (there are {name} and {order})")
                }
                add(.placeholder(name))
            case "}":
                throw InvalidFAQ("a } without its {")
            case "[":
                guard group == nil else { throw InvalidFAQ("[…] does not nest") }
                flush()
                group = ([], nil)
            case "|":
                guard group != nil, group?.second == nil else { throw InvalidFAQ("| stands once inside […]") }
                flush()
                group?.second = []
            case "]":
                guard group != nil else { throw InvalidFAQ("a ] without its [") }
                flush()
                guard let open = group else { break }
                group = nil
                pieces.append(.choice(open.first, otherwise: open.second ?? []))
            default:
                literal.append(character)
            }
        }
        guard group == nil else { throw InvalidFAQ("a [ without its ]") }
        flush()
        self.pieces = pieces
    }

    /// The text with `values` (by placeholder name) filled in.
    func filled(_ values: [String: String]) -> String {
        var text = ""
        Self.render(self.pieces, values, into: &text)
        return text
    }

    private static func render(_ pieces: [Piece], _ values: [String: String], into text: inout String) {
        for piece in pieces {
            switch piece {
            case .text(let literal):
                // "Thanks, {name}." with the name "Ada L." reads "Thanks, Ada L." rather than "Ada L..".
                text += text.hasSuffix(".") && literal.hasPrefix(".") && !literal.hasPrefix("..") ? String(literal.dropFirst()) : literal
            case .placeholder(let name):
                text += values[name] ?? Self.fallbacks[name] ?? ""
            case .choice(let first, let otherwise):
                Self.render(Self.isKnown(first, values) ? first : otherwise, values, into: &text)
            }
        }
    }

    private static func isKnown(_ pieces: [Piece], _ values: [String: String]) -> Bool {
        pieces.allSatisfy { piece in
            if case .placeholder(let name) = piece { return values[name] != nil }
            return true
        }
    }
}
