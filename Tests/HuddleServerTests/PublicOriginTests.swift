@testable import HuddleServer
import Testing

@Suite struct PublicOriginTests {
    @Test func aConfiguredURLIsCheckedAndKeptWithoutItsTrailingSlash() throws {
        let origin = try PublicOrigin(configured: "https://huddle.example.com/teams/", trustedProxies: .none)
        #expect(origin.configured == "https://huddle.example.com/teams")
        for bad in ["huddle.example.com", "ftp://huddle.example.com", "https://", "https://x.example?a=1", "https://u@x.example"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try PublicOrigin(configured: bad, trustedProxies: .none) }
        }
    }

    @Test func onlyHostsAndPortsPassAsAHostHeader() {
        for good in ["localhost:8080", "huddle.example.com", "10.0.0.7", "[::1]:8080"] {
            #expect(PublicOrigin.isHost(good), "\(good)")
        }
        for bad in ["", "evil.example/path", "a b", "x.example#frag", "user@x.example", ":8080", String(repeating: "a", count: 256)] {
            #expect(!PublicOrigin.isHost(bad), "\(bad)")
        }
    }
}
