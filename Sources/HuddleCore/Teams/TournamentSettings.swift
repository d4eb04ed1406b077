/// How the picked clubs are handed out by the draw.
public enum DrawRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// The original's: every assignment of the picked clubs to the players is equally likely,
    /// one's own club included.
    case random
    /// Nobody is drawn the club they picked; every such assignment is equally likely.
    case noOwnClub
}

/// What an organiser chose for a tournament, checked: the body of its first event.
public struct TournamentSettings: Sendable, Hashable {
    /// Unique among tournaments case-insensitively (``TournamentIndex`` sees to that).
    public let name: String
    /// 2 to the number of clubs.
    public let playerLimit: Int
    /// Distinct case-insensitively, in the organiser's order.
    public let clubs: [String]
    public let drawRule: DrawRule

    /// Checks every field at once, so that a form can show each problem beside its field.
    /// `clubs` nil means ``TournamentLimits/defaultClubs``. Names are trimmed.
    public init(
        name: String, playerLimit: Int, clubs: [String]? = nil, drawRule: DrawRule = .random
    ) throws(InvalidTournamentInput) {
        var problems: [String: String] = [:]
        let checkedName = TournamentLimits.checked(
            name, characters: TournamentLimits.nameLength, bytes: TournamentLimits.nameBytes)
        if checkedName == nil {
            problems["name"] = "Use 1 to \(TournamentLimits.nameLength) characters (at most \(TournamentLimits.nameBytes) bytes), no control characters."
        }
        let checkedClubs = Self.checked(clubs: clubs ?? TournamentLimits.defaultClubs, problems: &problems)
        if let checkedClubs, !(2...checkedClubs.count).contains(playerLimit) {
            problems["playerLimit"] = "Use 2 to \(checkedClubs.count), the number of clubs."
        }
        guard problems.isEmpty, let checkedName, let checkedClubs else { throw InvalidTournamentInput(problems) }
        self.init(trusted: checkedName, playerLimit: playerLimit, clubs: checkedClubs, drawRule: drawRule)
    }

    /// Settings as stored: read back without checking again, so that a tournament created under
    /// older rules still folds.
    init(trusted name: String, playerLimit: Int, clubs: [String], drawRule: DrawRule) {
        self.name = name
        self.playerLimit = playerLimit
        self.clubs = clubs
        self.drawRule = drawRule
    }

    /// The trimmed clubs, or nil with a problem noted.
    private static func checked(clubs: [String], problems: inout [String: String]) -> [String]? {
        guard TournamentLimits.clubs.contains(clubs.count) else {
            problems["clubs"] = "Give \(TournamentLimits.clubs.lowerBound) to \(TournamentLimits.clubs.upperBound) clubs."
            return nil
        }
        var seen: Set<String> = []
        var checked: [String] = []
        for club in clubs {
            guard let name = TournamentLimits.checked(
                club, characters: TournamentLimits.clubNameLength, bytes: TournamentLimits.clubNameBytes)
            else {
                problems["clubs"] = "Each club's name is 1 to \(TournamentLimits.clubNameLength) characters (at most \(TournamentLimits.clubNameBytes) bytes), no control characters."
                return nil
            }
            guard seen.insert(TournamentLimits.key(name)).inserted else {
                problems["clubs"] = "\(name) is in the list twice; each club may appear once."
                return nil
            }
            checked.append(name)
        }
        return checked
    }
}

/// Input that breaks Teams' rules, with a message per field keyed as the JSON bodies name the
/// field (`name`, `playerLimit`, `clubs`, `surname`…): what the HTTP routes answer as a 400 with
/// `fields`, and the realtime channel as a `bad_request`.
public struct InvalidTournamentInput: Error, Sendable, Hashable {
    public var fields: [String: String]

    public init(_ fields: [String: String]) {
        self.fields = fields
    }

    /// The same problems as one refusal, fields in alphabetical order.
    public var rejection: CommandRejection {
        .badRequest(self.fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: " "))
    }
}
