import HuddleCore
import Testing

@Suite struct BrokerWireTests {
    @Test(arguments: [
        BrokerMessage(kind: .event, offset: 18, origin: "", frame: #"{"type":"event","offset":18}"#),
        BrokerMessage(kind: .signal, offset: 0, origin: "c0nn3ct10n", frame: #"{"a":"line\nbreak and spaces"}"#),
        BrokerMessage(kind: .presence, offset: 0, origin: "x", frame: ""),
    ])
    func roundTrips(_ message: BrokerMessage) {
        #expect(BrokerMessage(wireText: message.wireText[...]) == message)
    }

    @Test(arguments: ["", "no newline", "x 1 o\n{}", "e -1 o\n{}", "e one o\n{}", "e 1\n{}", "e 1 a b\n{}"])
    func refusesForeignText(_ text: String) {
        #expect(BrokerMessage(wireText: text[...]) == nil)
    }
}
