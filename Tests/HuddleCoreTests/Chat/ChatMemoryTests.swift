import HuddleCore
import Testing

@Suite struct ChatMemoryTests {
    @Test(arguments: [
        ("My name is Ada", "Ada"), ("my name is ada", "Ada"), ("Hi, my name's Ada.", "Ada"), ("call me Ada please", "Ada"),
        ("I'm Ada", "Ada"), ("hi, i'm ada", "Ada"), ("I’m Ada and I need help", "Ada"), ("I am Grace Hopper.", "Grace Hopper"),
        ("My name is Ada Lovelace, and I have a question", "Ada Lovelace"), ("my name is ada lovelace", "Ada"),
        ("hello! my name is Jean-Luc", "Jean-Luc"), ("I'm O'Brien", "O'Brien"), ("My name is deShawn", "deShawn"),
    ])
    func namesAreTakenFromHowPeopleIntroduceThemselves(_ text: String, _ name: String) {
        #expect(ChatMemory.name(in: text) == name)
    }

    @Test(arguments: [
        "I'm waiting for my parcel", "i'm looking for a refund", "I'm not sure", "I am sorry", "I'm Trying to log in",
        "im still waiting", "Please call me tomorrow", "what is my name?", "my name is", "I'm 42", "Who am I?", "I am so annoyed",
        "I'm in London",
    ])
    func sentencesThatIntroduceNobodyGiveNoName(_ text: String) {
        #expect(ChatMemory.name(in: text) == nil)
    }

    @Test(arguments: [
        ("order 12345", "12345"), ("My order number is 12345.", "12345"), ("order #A-1234 has not arrived", "A-1234"),
        ("It's #12345", "12345"), ("order no. 98765", "98765"), ("Order: ab-778", "AB-778"), ("about order id 5566?", "5566"),
        ("my order, #777, is late", "777"),
    ])
    func orderNumbersAreTakenAfterOrderOrAHash(_ text: String, _ number: String) {
        #expect(ChatMemory.orderNumber(in: text) == number)
    }

    @Test(arguments: [
        "I ordered 3 items", "order 12", "my order is late", "in order to return it", "#1", "call 555-0100", "order -123-",
        "what is my order number?", "order 123456789012345678901",
    ])
    func otherNumbersAreNoOrderNumbers(_ text: String) {
        #expect(ChatMemory.orderNumber(in: text) == nil)
    }

    @Test func theLatestThingTheCustomerSaidWinsAndOnlyTheCustomerCounts() {
        let messages = [
            ChatMessage(id: "1", author: "u", authorName: "U", role: .customer, text: "I'm Ada, order 111", at: 0, offset: 2),
            ChatMessage(id: "2", author: "a", authorName: "Grace", role: .agent, text: "My name is Grace, order 999?", at: 0, offset: 3),
            ChatMessage(id: "3", author: "u", authorName: "U", role: .customer, text: "Actually, call me Augusta. It's order #222", at: 0, offset: 4),
            ChatMessage(id: "4", author: "u", authorName: "U", role: .customer, text: "Thanks", at: 0, offset: 5),
        ]
        let memory = ChatMemory(messages: messages, customerName: "Ada L.")
        #expect(memory.name == "Augusta" && memory.nameWasSaid && memory.orderNumber == "222")
        let fresh = ChatMemory(messages: Array(messages.suffix(1)), customerName: "Ada L.")
        #expect(fresh.name == "Ada L." && !fresh.nameWasSaid && fresh.orderNumber == nil)
    }
}
