@testable import HuddleGateway
@testable import HuddleServer
import Testing

struct TrustedProxiesTests {
    let proxies = try! TrustedProxies(parsing: "10.0.0.0/8, 127.0.0.1,fd00::/8")

    @Test func addressesAndRangesMatchByPrefix() {
        #expect(self.proxies.isTrusted("10.1.2.3"))
        #expect(self.proxies.isTrusted("127.0.0.1"))
        #expect(!self.proxies.isTrusted("127.0.0.2"))
        #expect(!self.proxies.isTrusted("11.0.0.1"))
        #expect(self.proxies.isTrusted("fd12:3456::1"))
        #expect(!self.proxies.isTrusted("fe80::1"))
        #expect(!self.proxies.isTrusted("not-an-address"))
        let odd = try! TrustedProxies(parsing: "192.168.1.128/25")
        #expect(odd.isTrusted("192.168.1.200"))
        #expect(!odd.isTrusted("192.168.1.127"))
    }

    @Test func anUntrustedPeerIsTheClientWhateverItSays() {
        #expect(self.proxies.client(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"]) == "203.0.113.9")
    }

    @Test func theHeaderIsReadFromTheRightUpToTheFirstUntrustedHop() {
        // The client made up "6.6.6.6"; the proxy at 10.0.0.5 saw 198.51.100.7 and appended it.
        #expect(
            self.proxies.client(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.7", "10.0.0.5"])
                == "198.51.100.7")
        #expect(self.proxies.client(peer: "127.0.0.1", forwardedFor: ["2001:db8::1"]) == "2001:db8::1")
    }

    @Test func withoutAUsableHeaderTheLastKnownHopIsTheClient() {
        #expect(self.proxies.client(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(self.proxies.client(peer: "127.0.0.1", forwardedFor: ["garbage, 10.0.0.5"]) == "10.0.0.5")
        #expect(TrustedProxies.none.client(peer: "127.0.0.1", forwardedFor: ["1.2.3.4"]) == "127.0.0.1")
    }

    @Test func aMalformedEntryIsAConfigurationError() {
        #expect(throws: ConfigurationError.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
        #expect(throws: ConfigurationError.self) { try TrustedProxies(parsing: "proxy.internal") }
        #expect(throws: ConfigurationError.self) { try TrustedProxies(parsing: "::1/129") }
    }
}
