import Crypto

extension SHA256 {
    /// The SHA-256 of `text`'s UTF-8 in lower-case hex: what is stored of a refresh token, and
    /// the stream of a tournament's name.
    static func hex(of text: String) -> String {
        Self.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
