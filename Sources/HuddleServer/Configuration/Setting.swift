public import Configuration

/// One configuration key, declared once: the parser reads it (with its default), `--help`
/// lists it, and the README's configuration table is checked against it.
///
/// Every key is also an environment variable, `HUDDLE_` and the key upper-cased with dots and
/// dashes as underscores; flags win over the environment, which wins over the default.
public struct Setting: Sendable, Hashable {
    public enum Flag: Sendable, Hashable {
        /// `--name VALUE` or `--name=VALUE`.
        case value
        /// `--name` alone means true.
        case toggle
        /// No flag: a secret (a command line is visible to every user of the machine) or a rarely
        /// changed key; environment only.
        case none
    }

    /// The key, e.g. `ws.max-message`.
    public let key: String
    public let flag: Flag
    /// The default as text, nil for none.
    public let defaultValue: String?
    /// What it means (one line, Markdown).
    public let help: String
    /// Kept out of logs and error messages.
    public let isSecret: Bool
    /// The flag's name when it is not the key's (`--dev` for `auth.dev`).
    private let flagName: String?

    init(
        _ key: String, _ flag: Flag = .value, default defaultValue: String? = nil, secret: Bool = false,
        flagName: String? = nil, help: String
    ) {
        self.key = key
        self.flag = flag
        self.defaultValue = defaultValue
        self.help = help
        self.isSecret = secret
        self.flagName = flagName
    }

    /// `--ws-max-message`; nil when it has no flag.
    public var flagSpelling: String? {
        self.flag == .none ? nil : "--" + (self.flagName ?? String(self.key.map { $0 == "." ? "-" : $0 }))
    }

    /// `HUDDLE_WS_MAX_MESSAGE`.
    public var environmentVariable: String {
        "HUDDLE_" + String(self.key.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    var configKey: ConfigKey { ConfigKey(self.key) }

    /// How error messages name it: `ws.max-message (--ws-max-message, HUDDLE_WS_MAX_MESSAGE)`.
    var spelledOut: String {
        "\(self.key) (" + [self.flagSpelling, self.environmentVariable].compactMap { $0 }.joined(separator: ", ") + ")"
    }
}
