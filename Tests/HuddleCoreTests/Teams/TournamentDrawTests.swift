import HuddleCore
import Testing

@Suite struct TournamentDrawTests {
    /// A full tournament of `count` players, each having picked the club at their place.
    func ready(_ count: Int, _ rule: DrawRule) throws -> TournamentState {
        var state = try TournamentState.created(playerLimit: count, drawRule: rule)
        try state.fill(count)
        #expect(state.isReady)
        return state
    }

    @Test(arguments: DrawRule.allCases)
    func everyDrawHandsOutExactlyThePickedClubs(_ rule: DrawRule) throws {
        for count in 2...10 {
            let state = try self.ready(count, rule)
            let picked = state.players.compactMap(\.pickedClub)
            for seed in UInt64(0)..<50 {
                let pairs = try state.draw(seed: seed)
                #expect(pairs.map(\.playerId) == state.players.map(\.id))
                #expect(pairs.map(\.club).sorted() == picked.sorted(), "size \(count), seed \(seed)")
            }
        }
    }

    @Test func noOwnClubNeverGivesAnyoneTheClubTheyPicked() throws {
        for count in 2...10 {
            let state = try self.ready(count, .noOwnClub)
            for seed in UInt64(0)..<500 {
                let pairs = try state.draw(seed: seed &* 7_919 &+ UInt64(count))
                for (player, pair) in zip(state.players, pairs) {
                    #expect(player.pickedClub != pair.club, "size \(count), seed \(seed): \(player.id) kept \(pair.club)")
                }
            }
        }
    }

    /// Seeded, so deterministic: with 1,000 draws expected per outcome, each count lies within
    /// ±15 % (about five standard deviations) unless the draw favours some outcomes.
    @Test(arguments: [(3, DrawRule.random, 6), (3, .noOwnClub, 2), (4, .noOwnClub, 9), (4, .random, 24)])
    func drawsAreRoughlyUniformOverTheOutcomesTheRuleAllows(_ count: Int, _ rule: DrawRule, _ outcomes: Int) throws {
        let state = try self.ready(count, rule)
        var tally: [[String]: Int] = [:]
        for seed in UInt64(0)..<UInt64(1_000 * outcomes) {
            tally[try state.draw(seed: seed &+ 1_000_003).map(\.club), default: 0] += 1
        }
        #expect(tally.count == outcomes)
        for (draw, seen) in tally {
            #expect((850...1_150).contains(seen), "\(draw) drawn \(seen) times of \(1_000 * outcomes)")
        }
    }

    @Test func aBrokenGeneratorStillEndsWithNobodyOnTheirOwnClub() throws {
        // 2^62 every time makes each shuffle keep a club in place: the tries run out.
        for count in 2...10 {
            let state = try self.ready(count, .noOwnClub)
            var generator = ConstantGenerator(value: 1 << 62)
            guard case .drawn(let pairs) = try state.decide(.draw, by: "org", using: &generator) else {
                Issue.record("not a draw")
                return
            }
            #expect(zip(state.players, pairs).allSatisfy { $0.pickedClub != $1.club })
        }
    }
}
