import HuddleCore

/// The database's schema cannot be used by this build.
public enum SchemaError: Error, CustomStringConvertible, Equatable {
    case newerThanKnown(found: Int, known: Int)

    public var description: String {
        switch self {
        case .newerThanKnown(let found, let known):
            "The database schema is at version \(found), but this Huddle knows versions up to \(known). "
                + "Run a Huddle at least as new as the one that migrated it."
        }
    }
}

enum WallClockMilliseconds {
    static func now() -> Int64 { WallClock.millisecondsSince1970() }
}
