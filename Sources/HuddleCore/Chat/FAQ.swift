#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The questions the built-in bot can answer: a small JSON file (by default
/// `Sources/HuddleServer/Apps/Chat/chat-faq.json`, built into the server; replaceable by
/// configuration), an array of entries:
///
/// ```json
/// [{"question": "How long does delivery take?",
///   "keywords": ["shipping", "arrive"],
///   "answer": "Standard delivery takes 2–4 working days[, {name}].",
///   "offersPerson": false}]
/// ```
///
/// `keywords` (other words customers use for the topic) and `offersPerson` (the answer offers
/// a person, e.g. "can I talk to someone?") are optional; `answer` is an ``AnswerTemplate``.
/// Unknown members are refused, so that a misspelt `keyword` is not silently ignored.
public struct FAQ: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var question: String
        public var keywords: [String]
        public var answer: String
        public var offersPerson: Bool

        public init(question: String, keywords: [String] = [], answer: String, offersPerson: Bool = false) {
            self.question = question
            self.keywords = keywords
            self.answer = answer
            self.offersPerson = offersPerson
        }
    }

    /// An entry a question matched, and how well (0…1: the share of the question's weight the
    /// entry covers).
    public struct Match: Sendable, Hashable {
        public var entry: Entry
        public var score: Double
        /// Where ``entry`` is in ``FAQ/entries``.
        let position: Int
    }

    /// How much of a question an entry must cover to answer it: below this the bot says it
    /// does not know. Half, so that one strong word ("refund") answers a short question while
    /// a question that is mostly about something else does not.
    public static let threshold = 0.5

    public static let maxEntries = 500
    /// Short enough that a filled answer with a greeting in front stays within a message's limits.
    public static let answerLength = 1_500
    public static let answerBytes = 6_000

    public let entries: [Entry]
    let templates: [AnswerTemplate]
    let index: FAQIndex

    /// Checks each entry (a question and an answer that are not blank, an answer within
    /// ``answerLength`` characters whose template is sound, words to match on).
    public init(entries: [Entry]) throws(InvalidFAQ) {
        guard (1...Self.maxEntries).contains(entries.count) else {
            throw InvalidFAQ("a FAQ has 1 to \(Self.maxEntries) entries")
        }
        var templates: [AnswerTemplate] = []
        for (number, entry) in zip(1..., entries) {
            func problem(_ text: String) -> InvalidFAQ { InvalidFAQ("entry \(number): \(text)") }
            let answer = entry.answer.trimmingWhitespace
            guard !entry.question.trimmingWhitespace.isEmpty else { throw problem("the question is empty") }
            guard !answer.isEmpty, answer.count <= Self.answerLength, answer.utf8.count <= Self.answerBytes else {
                throw problem("an answer is 1 to \(Self.answerLength) characters (\(Self.answerBytes) bytes)")
            }
            guard !ChatText.terms(([entry.question] + entry.keywords).joined(separator: " ")).isEmpty else {
                throw problem("nothing to match on: the question and keywords are only stop words")
            }
            do { templates.append(try AnswerTemplate(answer)) } catch { throw problem(error.message) }
        }
        self.entries = entries
        self.templates = templates
        self.index = FAQIndex(entries)
    }

    /// Reads a FAQ file's text, or says what is wrong with it.
    public static func parse(json text: String) throws(InvalidFAQ) -> FAQ {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            throw InvalidFAQ("a FAQ file is JSON")
        }
        guard case .array(let items) = value else { throw InvalidFAQ("a FAQ file is an array of entries") }
        var entries: [Entry] = []
        for (number, item) in zip(1..., items) {
            func problem(_ text: String) -> InvalidFAQ { InvalidFAQ("entry \(number): \(text)") }
            guard case .object(let members) = item else { throw problem("an entry is an object") }
            if let unknown = members.keys.sorted().first(where: { !["question", "keywords", "answer", "offersPerson"].contains($0) }) {
                throw problem("unknown member '\(unknown)' (there are question, keywords, answer, offersPerson)")
            }
            guard let question = members["question"]?.stringValue else { throw problem("needs a string 'question'") }
            guard let answer = members["answer"]?.stringValue else { throw problem("needs a string 'answer'") }
            var keywords: [String] = []
            switch members["keywords"] {
            case nil: break
            case .array(let list)?:
                keywords = list.compactMap(\.stringValue)
                guard keywords.count == list.count else { throw problem("'keywords' is an array of strings") }
            default: throw problem("'keywords' is an array of strings")
            }
            var offersPerson = false
            switch members["offersPerson"] {
            case nil: break
            case .bool(let value)?: offersPerson = value
            default: throw problem("'offersPerson' is true or false")
            }
            entries.append(Entry(question: question, keywords: keywords, answer: answer, offersPerson: offersPerson))
        }
        return try FAQ(entries: entries)
    }

    /// The entry that answers `question` best, when it covers at least `threshold` of it.
    public func match(_ question: String, threshold: Double = FAQ.threshold) -> Match? {
        self.match(question, ignoring: [], threshold: threshold)
    }

    /// The same, leaving `ignored` terms out of the question (a name the customer just gave).
    func match(_ question: String, ignoring ignored: Set<String>, threshold: Double = FAQ.threshold) -> Match? {
        guard let best = self.index.best(for: question, ignoring: ignored), best.score >= threshold else { return nil }
        return Match(entry: self.entries[best.entry], score: best.score, position: best.entry)
    }

    /// The matched entry's answer with `name` and `order` filled in where known.
    public func answer(_ match: Match, name: String?, order: String?) -> String {
        var values: [String: String] = [:]
        values["name"] = name
        values["order"] = order
        return self.templates[match.position].filled(values).trimmingWhitespace
    }
}
