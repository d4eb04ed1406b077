import ArgumentParser
import Configuration
import HuddleServer

/// The configuration flags shared by `serve`, `migrate` and `user create`: every flag of
/// ``Settings``, read against that table rather than declared here again.
///
/// Secrets have no flag (a command line is visible to every user of the machine): they come
/// from the environment or from a file named by a flag.
struct ServerOptions: ParsableArguments {
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp(
            "Configuration, each also an environment variable (flags win over the environment, which wins over the default):\n"
                + Settings.helpText,
            valueName: "settings"))
    var settings: [String] = []

    /// The configuration these flags and the environment describe.
    func configuration() throws -> HuddleConfiguration {
        do {
            return try HuddleConfiguration(reader: self.reader())
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    /// Whether `setting` was given, by flag or environment variable.
    func isGiven(_ setting: Setting) throws -> Bool {
        try self.reader().string(forKey: ConfigKey(setting.key)) != nil
    }

    /// Flags first, then `HUDDLE_*` environment variables.
    private func reader() throws -> ConfigReader {
        var flags: [AbsoluteConfigKey: ConfigValue] = [:]
        for (setting, value) in try Self.parse(self.settings) {
            flags[AbsoluteConfigKey(setting.key.split(separator: ".").map(String.init))] = ConfigValue(
                .string(value), isSecret: setting.isSecret)
        }
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: flags),
            EnvironmentVariablesProvider(
                secretsSpecifier: .specific(Set(Settings.all.filter(\.isSecret).map(\.environmentVariable)))
            ).prefixKeys(with: "huddle"),
        ])
    }

    /// `--name value`, `--name=value`, and `--name` alone for a toggle.
    static func parse(_ arguments: [String]) throws -> [(Setting, String)] {
        var parsed: [(Setting, String)] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let inline = parts.count > 1 ? String(parts[1]) : nil
            guard name.hasPrefix("--"), let setting = Settings.setting(forFlag: name) else {
                throw ValidationError("unknown option or argument '\(argument)' (see --help)")
            }
            switch setting.flag {
            case .toggle:
                parsed.append((setting, inline ?? "true"))
            case .value:
                guard let value = inline ?? rest.popFirst(), inline != nil || !value.hasPrefix("--") else {
                    throw ValidationError("\(name) needs a value")
                }
                parsed.append((setting, value))
            case .none:
                throw ValidationError("\(name) has no flag")
            }
        }
        return parsed
    }
}
