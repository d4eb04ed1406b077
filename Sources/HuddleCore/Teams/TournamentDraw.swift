/// Which picked club each player is drawn: a permutation of the players, uniform over the
/// ones `rule` allows.
///
/// - `random`: Fisher–Yates (the standard library's `shuffled(using:)`, whose
///   `Int.random(in:using:)` draws without modulo bias), so each of the n! permutations has
///   probability 1/n! given a uniform generator.
/// - `noOwnClub`: rejection sampling: shuffle as above until nobody is drawn their own club.
///   Each try is uniform over all permutations, so the accepted one is uniform over the
///   derangements (a uniform distribution conditioned on an event is uniform on that event).
///   A try succeeds with probability D(n)/n!, at least 1/3 for n ≥ 2 (1/2, 1/3, 3/8, 11/30…
///   → 1/e), so it takes under three tries on average. After ``maximumTries`` failures,
///   which a working generator reaches with probability below (2/3)^1000 ≈ 10^-176, it
///   rotates by one (also a derangement): a broken generator must not hang a replica.
///
/// Players' picked clubs are distinct (a club is taken once), so "nobody gets their own club"
/// is exactly "the permutation has no fixed point"; with one player there is none to avoid.
enum TournamentDraw {
    static let maximumTries = 1_000

    /// `result[i]` is the index of the player whose club player `i` is drawn.
    static func permutation(
        of count: Int, rule: DrawRule, using generator: inout some RandomNumberGenerator
    ) -> [Int] {
        switch rule {
        case .random:
            return Array(0..<count).shuffled(using: &generator)
        case .noOwnClub:
            guard count > 1 else { return Array(0..<count) }
            for _ in 0..<Self.maximumTries {
                let permutation = Array(0..<count).shuffled(using: &generator)
                if !permutation.indices.contains(where: { permutation[$0] == $0 }) { return permutation }
            }
            return (0..<count).map { ($0 + 1) % count }
        }
    }
}
