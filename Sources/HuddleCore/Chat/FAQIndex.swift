/// How well a question matches each FAQ entry: a weighted overlap of their terms (see
/// ``ChatText``), an entry's terms being those of its question and keywords.
///
/// A term weighs √(N / df), N entries of which df hold it: a word every entry shares says
/// little, one only a single entry holds says much (an idf without the logarithm, which the
/// standard library lacks, and gentler). A question's term no entry holds weighs half the most
/// any term can, so that a question mostly about something else falls below the threshold,
/// while one unknown word beside a strong known one ("pay with bitcoin") does not sink it.
///
/// An entry's score is the share of the question's weight it covers, 0…1. The question is
/// scored whole and clause by clause ("my parcel was due on Monday, where is it") and the best
/// counts. Ties go to the entry that says the matched terms more often (a bare "my order?" is
/// about the entry on orders, not the one that mentions an order once), then to the earlier one.
struct FAQIndex: Sendable, Hashable {
    /// Each entry's terms, with how often its question and keywords say them.
    let terms: [[String: Int]]
    let weights: [String: Double]
    let unknownWeight: Double

    init(_ entries: [FAQ.Entry]) {
        self.terms = entries.map { entry in
            ChatText.terms(([entry.question] + entry.keywords).joined(separator: " ")).reduce(into: [:]) { $0[$1, default: 0] += 1 }
        }
        var frequency: [String: Int] = [:]
        for terms in self.terms { for term in terms.keys { frequency[term, default: 0] += 1 } }
        let count = Double(entries.count)
        self.weights = frequency.mapValues { (count / Double($0)).squareRoot() }
        self.unknownWeight = count.squareRoot() / 2
    }

    /// The best entry for `question` (less the terms `ignored`) and its score; nil when it has no
    /// terms at all.
    func best(for question: String, ignoring ignored: Set<String> = []) -> (entry: Int, score: Double)? {
        let candidates = [question] + ChatText.clauses(question)
        var best: (entry: Int, score: Double, said: Int)?
        for candidate in candidates {
            let query = Set(ChatText.terms(candidate)).subtracting(ignored)
            guard !query.isEmpty else { continue }
            let total = query.reduce(0) { $0 + (self.weights[$1] ?? self.unknownWeight) }
            for (entry, terms) in self.terms.enumerated() {
                let matched = query.filter { terms[$0] != nil }
                guard !matched.isEmpty else { continue }
                let score = (matched.reduce(0) { $0 + self.weights[$1]! } / total, matched.reduce(0) { $0 + terms[$1]! })
                if let current = best, (current.score, current.said) >= score { continue }
                best = (entry, score.0, score.1)
            }
        }
        return best.map { ($0.entry, $0.score) }
    }
}
