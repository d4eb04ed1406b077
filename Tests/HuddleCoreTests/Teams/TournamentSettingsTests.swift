import HuddleCore
import Testing

@Suite struct TournamentSettingsTests {
    @Test(arguments: [
        ("", 4, nil as [String]?, "name"), (String(repeating: "x", count: 81), 4, nil, "name"),
        ("a" + String(repeating: "\u{301}", count: 400), 4, nil, "name"),  // one character, 801 bytes
        ("Cup\u{0}", 4, nil, "name"),
        ("Cup", 1, nil, "playerLimit"), ("Cup", 11, nil, "playerLimit"), ("Cup", 3, ["Ajax", "PSV"], "playerLimit"),
        ("Cup", 2, ["Ajax"], "clubs"), ("Cup", 2, (0..<65).map { "Club \($0)" }, "clubs"),
        ("Cup", 2, ["Ajax", " ajax "], "clubs"), ("Cup", 2, ["Ajax", ""], "clubs"),
        ("Cup", 2, ["Ajax", String(repeating: "y", count: 41)], "clubs"),
    ])
    func settingsOutsideTheRulesAreRefusedFieldByField(_ name: String, _ limit: Int, _ clubs: [String]?, _ field: String) {
        do {
            _ = try TournamentSettings(name: name, playerLimit: limit, clubs: clubs)
            Issue.record("accepted")
        } catch {
            #expect(Array(error.fields.keys) == [field])
            #expect(error.rejection.code == .badRequest && error.rejection.message.hasPrefix("\(field): "))
        }
    }

    @Test func everyProblemIsReportedAtOnce() {
        #expect(throws: InvalidTournamentInput([
            "name": "Use 1 to 80 characters (at most 320 bytes), no control characters.",
            "playerLimit": "Use 2 to 10, the number of clubs.",
        ])) { try TournamentSettings(name: " ", playerLimit: 20) }
    }

    @Test func anOrganisersOwnClubsAreTrimmedAndTheLimitGoesUpToTheirNumber() throws {
        let clubs = (1...64).map { " Club \($0) " }
        let settings = try TournamentSettings(name: "Big", playerLimit: 64, clubs: clubs, drawRule: .noOwnClub)
        #expect(settings.clubs.first == "Club 1" && settings.clubs.count == 64 && settings.drawRule == .noOwnClub)
        #expect(try TournamentSettings(name: "Small", playerLimit: 2, clubs: ["Ajax", "PSV"]).clubs == ["Ajax", "PSV"])
        #expect(TournamentLimits.defaultClubs.count == 10 && TournamentLimits.defaultClubs.contains("Atlético Madrid"))
        #expect(DrawRule(rawValue: "noOwnClub") == .noOwnClub && DrawRule(rawValue: "fair") == nil)
    }
}
