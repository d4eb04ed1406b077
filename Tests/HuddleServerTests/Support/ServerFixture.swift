import Foundation
import HuddleServer
import Logging

/// Builds a whole replica for route and live tests.
enum ServerFixture {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// The repository's web front end, for the file middleware.
    static var publicDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Public").path
    }

    static func configuration(store: HuddleConfiguration.StoreKind = .memory, dataDirectory: String? = nil) -> HuddleConfiguration {
        var configuration = HuddleConfiguration()
        configuration.port = 0
        configuration.store = store
        configuration.publicDirectory = Self.publicDirectory
        configuration.auth.jwtKey = Self.signingKey
        // The lowest cost bcrypt allows: tests hash many passwords.
        configuration.auth.bcryptCost = 4
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        return configuration
    }

    /// A signing key made for this test run.
    static let signingKey: [UInt8] = {
        var generator = SystemRandomNumberGenerator()
        return (0..<48).map { _ in generator.next() as UInt8 }
    }()

    static func make(_ configuration: HuddleConfiguration = Self.configuration()) async throws -> HuddleServer {
        try await buildServer(configuration, logger: Self.logger)
    }
}

/// A directory under the system's temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}
