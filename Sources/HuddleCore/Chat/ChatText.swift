/// How the bot reads text: lower-case words, stop words dropped, endings trimmed, so that
/// "Where are my parcels?" and "parcel location" meet on `parcel`.
///
/// English only, as the default FAQ is; a FAQ in another language still matches on its words,
/// only without the stop words and endings.
enum ChatText {
    /// Lower-case runs of letters and digits; apostrophes inside a word are dropped ("what's" →
    /// "whats"), everything else separates words.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if character == "'" || character == "’", !word.isEmpty {
                continue
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// The words that carry meaning, stemmed; numbers are left out (an order number is memory,
    /// not a topic).
    static func terms(_ text: String) -> [String] {
        Self.words(text).filter { !Self.stopWords.contains($0) && !$0.allSatisfy(\.isNumber) }.map(Self.stem)
    }

    /// The parts of a message a question may stand in alone: "My parcel is late, where is it?"
    static func clauses(_ text: String) -> [String] {
        text.split(whereSeparator: { ".,;:!?\n".contains($0) }).map(String.init)
    }

    /// A light stemmer: plurals, then -ing and -ed (with a doubled consonant undone, except l,
    /// s and z as Porter's), then a final e. Both sides of a match go through it, so it only
    /// has to be consistent, not linguistically right: "arrive", "arrives", "arrived" and
    /// "arriving" all become "arriv".
    static func stem(_ word: String) -> String {
        guard word.count > 3 else { return word }
        var stem = word
        if stem.hasSuffix("ies"), stem.count > 4 {
            stem = String(stem.dropLast(3)) + "y"
        } else if stem.hasSuffix("sses") {
            stem = String(stem.dropLast(2))
        } else if stem.hasSuffix("s"), !stem.hasSuffix("ss"), !stem.hasSuffix("us"), !stem.hasSuffix("is") {
            stem = String(stem.dropLast())
        }
        if stem.hasSuffix("ing"), stem.count > 5 {
            stem = Self.undoubled(String(stem.dropLast(3)))
        } else if stem.hasSuffix("ed"), stem.count > 4 {
            stem = Self.undoubled(String(stem.dropLast(2)))
        }
        if stem.hasSuffix("e"), stem.count > 4 { stem = String(stem.dropLast()) }
        return stem
    }

    private static func undoubled(_ stem: String) -> String {
        guard let last = stem.last, stem.dropLast().last == last, !"lsz".contains(last), !"aeiou".contains(last) else { return stem }
        return String(stem.dropLast())
    }

    static let greetings: Set<String> = ["hi", "hello", "hey", "hiya", "howdy", "morning", "evening", "afternoon", "greetings", "yo"]
    static let thanks: Set<String> = ["thanks", "thank", "thx", "ty", "cheers", "thankyou", "appreciated"]

    /// Words that say nothing about the topic, greetings and thanks among them.
    static let stopWords: Set<String> = greetings.union(thanks).union([
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "anyone", "are", "as", "at", "be", "been",
        "before", "being", "but", "by", "can", "cant", "could", "did", "didnt", "do", "does", "doesnt", "doing", "dont",
        "for", "from", "get", "got", "good", "had", "has", "hasnt", "have", "havent", "having", "he", "help", "her", "here",
        "his", "how", "i", "id", "if", "ill", "im", "in", "into", "is", "isnt", "it", "its", "ive", "just", "know", "like",
        "me", "much", "my", "myself", "need", "no", "not", "now", "of", "ok", "okay", "on", "one", "or", "our", "out",
        "please", "pls", "plz", "question", "really", "she", "should", "so", "some", "still", "tell", "than", "that",
        "thats", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "up", "us", "very",
        "want", "was", "wasnt", "we", "were", "what", "whats", "when", "where", "wheres", "which", "who", "why", "will",
        "with", "wont", "would", "yes", "you", "youre", "your",
    ])
}

extension String {
    /// Without white space (line breaks included) at either end.
    var trimmingWhitespace: String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
