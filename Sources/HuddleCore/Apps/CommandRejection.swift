/// A command an app refuses, with a code clients can act on and a message people can read.
public struct CommandRejection: Error, Sendable, Hashable {
    public var code: RejectionCode
    public var message: String

    public init(_ code: RejectionCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func unknownCommand(_ name: String, kind: String) -> Self {
        Self(.unknownCommand, "\(kind) channels have no command '\(name)'")
    }

    public static func badRequest(_ message: String) -> Self {
        Self(.badRequest, message)
    }
}

/// Why something was refused, the same over the WebSocket (`error` frames) and HTTP.
///
/// A struct of constants rather than an enum so that an app declares its own codes beside
/// its domain (`RejectionCode.locked` lives with the Board) without editing a central list;
/// each code carries its HTTP status, and whether it is the client's mistake: mistakes count
/// towards the gateway's bad-frame limit (close 1008), refusals of a valid request do not.
public struct RejectionCode: Sendable, Hashable, CustomStringConvertible {
    /// The machine-readable code, e.g. `not_found`.
    public let rawValue: String
    /// The HTTP status a route answers with.
    public let httpStatus: Int
    /// A malformed or impossible request, as opposed to a valid one the app declined.
    public let isClientMistake: Bool

    public init(_ rawValue: String, httpStatus: Int, isClientMistake: Bool = false) {
        self.rawValue = rawValue
        self.httpStatus = httpStatus
        self.isClientMistake = isClientMistake
    }

    public var description: String { self.rawValue }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.rawValue) }
}

// The codes every app and the gateway share.
extension RejectionCode {
    public static let badRequest = Self("bad_request", httpStatus: 400, isClientMistake: true)
    public static let unknownType = Self("unknown_type", httpStatus: 400, isClientMistake: true)
    public static let unknownChannel = Self("unknown_channel", httpStatus: 404, isClientMistake: true)
    public static let unknownCommand = Self("unknown_command", httpStatus: 400, isClientMistake: true)
    public static let notSubscribed = Self("not_subscribed", httpStatus: 400, isClientMistake: true)
    public static let tooManyChannels = Self("too_many_channels", httpStatus: 400, isClientMistake: true)
    public static let rateLimited = Self("rate_limited", httpStatus: 429)
    /// An `auth` frame with a token that is not valid (expired, tampered, deactivated user).
    public static let unauthorized = Self("unauthorized", httpStatus: 401, isClientMistake: true)
    /// The identity may not do this (a guest, or not an admin).
    public static let forbidden = Self("forbidden", httpStatus: 403)
    public static let notFound = Self("not_found", httpStatus: 404)
    /// The thing existed and was deleted.
    public static let gone = Self("gone", httpStatus: 410)
    /// Someone else changed it first, every time it was tried.
    public static let conflict = Self("conflict", httpStatus: 409)
    public static let unavailable = Self("unavailable", httpStatus: 503)
    public static let internalError = Self("internal", httpStatus: 500)
}
