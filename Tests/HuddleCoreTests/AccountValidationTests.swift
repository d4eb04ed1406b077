import HuddleCore
import Testing

@Suite struct AccountValidationTests {
    @Test(arguments: ["ada", "Ada_L.9-x", String(repeating: "a", count: 32)])
    func acceptsUsernames(_ name: String) {
        #expect(AccountValidation.username(name) == name.lowercased())
    }

    @Test(arguments: ["ab", String(repeating: "a", count: 33), "ada lovelace", "ada!", "adé", ""])
    func refusesUsernames(_ name: String) {
        #expect(AccountValidation.username(name) == nil)
    }

    @Test func emails() {
        #expect(AccountValidation.email("Ada@Example.COM") == "ada@example.com")
        #expect(AccountValidation.email("a.b+c@mail.example.org") == "a.b+c@mail.example.org")
        for bad in ["", "ada", "ada@", "@example.com", "ada@example", "ada@@example.com", "a da@example.com", "ada@-x.com"] {
            #expect(AccountValidation.email(bad) == nil, "\(bad)")
        }
    }

    @Test func passwordsAndDisplayNames() {
        #expect(!AccountValidation.isValidPassword("123456789"))
        #expect(AccountValidation.isValidPassword("1234567890"))
        #expect(!AccountValidation.isValidPassword(String(repeating: "x", count: 73)), "73 bytes: bcrypt would ignore the end")
        #expect(AccountValidation.isValidPassword(String(repeating: "x", count: 72)))
        #expect(!AccountValidation.isValidPassword(String(repeating: "é", count: 37)), "37 characters, 74 bytes")
        #expect(!AccountValidation.isValidPassword(String(repeating: "\u{0}", count: 10)), "NUL is not a password")
        #expect(AccountValidation.displayName("a" + String(repeating: "\u{301}", count: 1_000)) == nil, "one character, 2 KB")
        #expect(AccountValidation.email(String(repeating: "é", count: 60) + "@example.com") == nil, "over 64 bytes before the @")
        #expect(AccountValidation.displayName("  Ada L. ") == "Ada L.")
        #expect(AccountValidation.displayName("   ") == nil)
        #expect(AccountValidation.displayName("bell\u{7}") == nil)
    }

    @Test func guestIdentitiesHaveNoRole() {
        let guest = Identity.guest(id: "guest-1")
        #expect(guest.isGuest && !guest.isAdmin && guest.username == nil)
        #expect(guest.name.split(separator: " ").count == 2)
    }
}
