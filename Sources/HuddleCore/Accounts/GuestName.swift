/// Names for people who have not signed in: a first name and two characters, as in seed 000.
public enum GuestName {
    static let firstNames = [
        "Ada", "Alan", "Amara", "Ari", "Bea", "Bo", "Cai", "Chen", "Dara", "Eli", "Emi", "Finn",
        "Gia", "Hana", "Ivo", "Jun", "Kai", "Lea", "Luca", "Mae", "Mika", "Nia", "Noor", "Omar",
        "Pia", "Quinn", "Ravi", "Rosa", "Sami", "Tara", "Uma", "Vik", "Wren", "Yara", "Zane", "Zoe",
    ]
    static let suffixCharacters = Array("abcdefghjkmnpqrstuvwxyz23456789")

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let first = Self.firstNames.randomElement(using: &generator)!
        let a = Self.suffixCharacters.randomElement(using: &generator)!
        let b = Self.suffixCharacters.randomElement(using: &generator)!
        return "\(first) \(a)\(b)"
    }

    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return Self.random(using: &generator)
    }
}
