import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import HuddleServer
import Logging

/// `huddle user`: account administration from the command line.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage accounts in the configured store.",
        subcommands: [CreateUser.self]
    )
}

/// `huddle user create`: makes an account, typically the first admin of a new deployment.
///
/// The password never appears on the command line (every user of the machine can read it
/// there): it comes from `--password-file` or the first line of standard input.
struct CreateUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an account (the password comes from --password-file or standard input).",
        discussion: """
            Example: printf '%s\\n' "$PASSWORD" | huddle user create --admin --username ada --email ada@example.com
            """
    )

    @OptionGroup var options: ServerOptions
    @Option(help: "3 to 32 of a-z 0-9 _ . -")
    var username: String
    @Option(help: "The account's email address.")
    var email: String
    @Option(help: "The name others see (default: the username).")
    var displayName: String?
    @Flag(help: "Make the account an admin (same as --role admin).")
    var admin = false
    @Option(help: "admin, agent or user.")
    var role: String?
    @Option(help: "File whose first line is the password (otherwise it is read from standard input).")
    var passwordFile: String?

    func run() async throws {
        let configuration = try self.options.configuration()
        bootstrapLogging(level: configuration.logLevel)
        let role: Role
        if self.admin {
            role = .admin
        } else if let text = self.role {
            guard let parsed = Role(rawValue: text.lowercased()) else { throw ValidationError("--role must be admin, agent or user") }
            role = parsed
        } else {
            role = .user
        }
        let password = try self.readPassword()
        do {
            let user = try await createUser(
                configuration, username: self.username, email: self.email, password: password,
                displayName: self.displayName, role: role, logger: Logger(label: "huddle"))
            print("Created \(user.role.rawValue) \(user.username) (\(user.id))")
        } catch let error as InvalidFields {
            throw ValidationError(error.description)
        } catch AccountsError.taken(let field) {
            throw ValidationError("that \(field.rawValue) is already taken")
        }
    }

    private func readPassword() throws -> String {
        let text: String?
        if let file = self.passwordFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read --password-file \(file)")
            }
            text = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first
                .map(String.init)
        } else {
            text = Swift.readLine(strippingNewline: true)
        }
        guard var password = text, !password.isEmpty else {
            throw ValidationError("no password: give --password-file or pipe it on standard input")
        }
        if password.hasSuffix("\r") { password.removeLast() }
        return password
    }
}
