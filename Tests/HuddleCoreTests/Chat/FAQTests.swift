import HuddleCore
import Testing

@Suite struct FAQTests {
    @Test func aFileIsAnArrayOfEntriesWithOptionalKeywordsAndOffersPerson() throws {
        let faq = try FAQ.parse(json: #"""
            [{"question": "How long does delivery take?", "keywords": ["shipping", "arrive"], "answer": " Two days[, {name}]. "},
             {"question": "Can I talk to someone?", "answer": "Press the button.", "offersPerson": true}]
            """#)
        #expect(faq.entries == [
            FAQ.Entry(question: "How long does delivery take?", keywords: ["shipping", "arrive"], answer: " Two days[, {name}]. "),
            FAQ.Entry(question: "Can I talk to someone?", answer: "Press the button.", offersPerson: true),
        ])
        let match = try #require(faq.match("when will it arrive"))
        #expect(match.entry == faq.entries[0] && match.score == 1)
        #expect(faq.answer(match, name: "Ada", order: nil) == "Two days, Ada." && faq.answer(match, name: nil, order: nil) == "Two days.")
    }

    @Test(arguments: [
        ("", "a FAQ file is JSON"),
        (#"{"entries": []}"#, "a FAQ file is an array of entries"),
        ("[]", "a FAQ has 1 to 500 entries"),
        (#"["question"]"#, "entry 1: an entry is an object"),
        (#"[{"answer": "x"}]"#, "entry 1: needs a string 'question'"),
        (#"[{"question": "Refunds?"}]"#, "entry 1: needs a string 'answer'"),
        (#"[{"question": "Refunds?", "answer": "x", "keyword": ["money"]}]"#, "entry 1: unknown member 'keyword' (there are question, keywords, answer, offersPerson)"),
        (#"[{"question": "Refunds?", "answer": "x", "keywords": "money"}]"#, "entry 1: 'keywords' is an array of strings"),
        (#"[{"question": "Refunds?", "answer": "x", "keywords": ["money", 1]}]"#, "entry 1: 'keywords' is an array of strings"),
        (#"[{"question": "Refunds?", "answer": "x", "offersPerson": "yes"}]"#, "entry 1: 'offersPerson' is true or false"),
        (#"[{"question": "Refunds?", "answer": "x"}, {"question": " ", "answer": "x"}]"#, "entry 2: the question is empty"),
        (#"[{"question": "Refunds?", "answer": "  "}]"#, "entry 1: an answer is 1 to 1500 characters (6000 bytes)"),
        (#"[{"question": "How do I?", "answer": "x"}]"#, "entry 1: nothing to match on: the question and keywords are only stop words"),
        (#"[{"question": "Refunds?", "answer": "Hi {nmae}"}]"#, "entry 1: unknown placeholder {nmae} (there are {name} and {order})"),
        (#"[{"question": "Refunds?", "answer": "Hi {name"}]"#, "entry 1: a { without its }"),
        (#"[{"question": "Refunds?", "answer": "Hi name}"}]"#, "entry 1: a } without its {"),
        (#"[{"question": "Refunds?", "answer": "Hi [{name}"}]"#, "entry 1: a [ without its ]"),
        (#"[{"question": "Refunds?", "answer": "Hi {name}]"}]"#, "entry 1: a ] without its ["),
        (#"[{"question": "Refunds?", "answer": "[a [b]]"}]"#, "entry 1: […] does not nest"),
        (#"[{"question": "Refunds?", "answer": "[a|b|c]"}]"#, "entry 1: | stands once inside […]"),
        (#"[{"question": "Refunds?", "answer": "a | b"}]"#, "entry 1: | stands once inside […]"),
    ])
    func filesOutsideTheFormatAreRefusedWithWhatIsWrong(_ json: String, _ message: String) {
        #expect(throws: InvalidFAQ(message)) { try FAQ.parse(json: json) }
    }

    @Test func anAnswerLongerThanFifteenHundredCharactersIsRefused() throws {
        let long = String(repeating: "x", count: 1_501)
        #expect(throws: InvalidFAQ("entry 1: an answer is 1 to 1500 characters (6000 bytes)")) {
            try FAQ(entries: [FAQ.Entry(question: "Refunds?", answer: long)])
        }
        _ = try FAQ(entries: [FAQ.Entry(question: "Refunds?", answer: String(long.dropLast()))])
    }

    @Test func placeholdersAreFilledOrFallBackAndChoicesFollowWhatIsKnown() throws {
        let faq = try FAQ(entries: [FAQ.Entry(
            question: "Where is my order?", answer: "Hello {name}! [Order #{order} left today.|Your order left today.] Track {order}[ now].")])
        let match = try #require(faq.match("where is my order"))
        #expect(faq.answer(match, name: "Ada", order: "A-1234") == "Hello Ada! Order #A-1234 left today. Track A-1234 now.")
        #expect(faq.answer(match, name: nil, order: nil) == "Hello there! Your order left today. Track your order now.")
    }

    @Test func wordsMeetWhateverTheirEndingsAndAQuestionMostlyAboutSomethingElseMatchesNothing() throws {
        let faq = try FAQ(entries: [
            FAQ.Entry(question: "How do I return an item?", keywords: ["send back"], answer: "Within 30 days."),
            FAQ.Entry(question: "When do I get my refund?", keywords: ["money back"], answer: "Within 5 days."),
            FAQ.Entry(question: "Do you ship abroad?", keywords: ["countries"], answer: "To 30 countries."),
        ])
        #expect(faq.match("I returned two items")?.entry.answer == "Within 30 days.")
        #expect(faq.match("RETURNING an item!!")?.entry.answer == "Within 30 days.")
        #expect(faq.match("refunds")?.entry.answer == "Within 5 days.")
        #expect(faq.match("which country do you ship to")?.entry.answer == "To 30 countries.")
        #expect(faq.match("I want my money back")?.entry.answer == "Within 5 days.", "money and back beat return's back")
        #expect(faq.match("What is the airspeed velocity of an unladen swallow?") == nil)
        #expect(faq.match("the quick brown fox jumps over the lazy dog and returns") == nil)
        #expect(faq.match("", threshold: 0) == nil && faq.match("how do I?", threshold: 0) == nil)
    }
}
