#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HuddleCore
import Testing

/// The FAQ the server answers from unless configured otherwise: `Sources/HuddleServer/Apps/Chat/chat-faq.json`, built into the binary.
@Suite struct DefaultFAQTests {
    static func faq() throws -> FAQ {
        // Tests/HuddleCoreTests/Chat/ → the repository's root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Sources/HuddleServer/Apps/Chat/chat-faq.json"))
        return try FAQ.parse(json: String(decoding: data, as: UTF8.self))
    }

    @Test func theRepositorysFAQParsesWithTenToTwentyEntries() throws {
        let faq = try Self.faq()
        #expect((10...20).contains(faq.entries.count))
        #expect(Set(faq.entries.map(\.question)).count == faq.entries.count)
    }

    @Test(arguments: [
        ("How long does delivery take?", "How long does delivery take?"),
        ("how long will shipping take", "How long does delivery take?"),
        ("When will my order arrive?", "Where is my order? What is the status of my order?"),
        ("where is my parcel", "Where is my order? What is the status of my order?"),
        ("My parcel was due on Monday, where is it?", "Where is my order? What is the status of my order?"),
        ("Where is order #A-1234?", "Where is my order? What is the status of my order?"),
        ("I have a question about my order", "Where is my order? What is the status of my order?"),
        ("How much is shipping?", "How much does shipping cost?"),
        ("Do you deliver to Canada?", "Do you ship abroad?"),
        ("I want to send back a jacket", "How do I return an item?"),
        ("I want my money back", "When do I get my refund?"),
        ("Can I pay with PayPal?", "Which payment methods do you accept?"),
        ("can i pay with bitcoin", "Which payment methods do you accept?"),
        ("what are your opening hours", "What are your opening hours?"),
        ("Are you open on Sunday?", "What are your opening hours?"),
        ("what's your phone number", "How can I contact you?"),
        ("I moved, can I change the address?", "Can I change the delivery address of my order?"),
        ("please cancel my order", "How do I cancel my order?"),
        ("my blender stopped working after a month", "What warranty do your products have?"),
        ("The box arrived damaged", "My item arrived damaged or is missing something"),
        ("Where do I enter a coupon code?", "How do I use a discount code?"),
        ("I can't log in", "I forgot my password"),
        ("Can I speak to a human?", "Can I talk to a person?"),
    ])
    func commonQuestionsFindTheirEntry(_ question: String, _ expected: String) throws {
        let faq = try Self.faq()
        #expect(faq.match(question)?.entry.question == expected, "\(question): \(faq.match(question, threshold: 0).map { "\($0.entry.question) \($0.score)" } ?? "nothing")")
    }

    @Test(arguments: ["What is the capital of France?", "Tell me a joke", "Do you sell bicycles?", "What's the weather like in Paris?", "asdf qwerty"])
    func questionsItCannotAnswerAreNotForcedOntoAnEntry(_ question: String) throws {
        let faq = try Self.faq()
        #expect(faq.match(question) == nil, "\(question): \(faq.match(question, threshold: 0).map { "\($0.entry.question) \($0.score)" } ?? "nothing")")
    }
}
