@testable import RESP
import Testing

@Suite("Subscription state machine, without sockets")
struct RESPSubscriptionStateMachineTests {
    typealias Machine = RESPSubscriptionStateMachine<String, String>

    @Test("the first subscriber sends SUBSCRIBE, later ones wait for the same confirmation")
    func referenceCounting() {
        var machine = Machine()
        _ = machine.connected()
        guard case .sendSubscribe("news") = machine.subscribe(id: 1, to: "news", deliver: "a", waiter: "wa") else {
            Issue.record("expected SUBSCRIBE"); return
        }
        guard case .wait(connect: false) = machine.subscribe(id: 2, to: "news", deliver: "b", waiter: "wb") else {
            Issue.record("expected wait"); return
        }
        let (resume, gaps) = machine.subscribeConfirmed("news")
        #expect(Set(resume) == ["wa", "wb"])
        #expect(gaps.isEmpty)
        guard case .resume("wc") = machine.subscribe(id: 3, to: "news", deliver: "c", waiter: "wc") else {
            Issue.record("expected immediate resume"); return
        }
        #expect(Set(machine.receivers(of: "news")) == ["a", "b", "c"])
        guard case .none = machine.unsubscribe(id: 1, from: "news") else { Issue.record("unsubscribed too early"); return }
        guard case .none = machine.unsubscribe(id: 2, from: "news") else { Issue.record("unsubscribed too early"); return }
        guard case .sendUnsubscribe("news", failing: nil) = machine.unsubscribe(id: 3, from: "news") else {
            Issue.record("expected UNSUBSCRIBE"); return
        }
        #expect(!machine.wantsConnection)
    }

    @Test("after a drop every channel is subscribed again and its subscribers get a gap once confirmed")
    func resubscribeWithGap() {
        var machine = Machine()
        _ = machine.connected()
        _ = machine.subscribe(id: 1, to: "a", deliver: "a1", waiter: "w1")
        _ = machine.subscribe(id: 2, to: "b", deliver: "b2", waiter: "w2")
        _ = machine.subscribeConfirmed("a")
        _ = machine.subscribeConfirmed("b")
        machine.disconnected()
        // Joined during the outage: no gap owed, it has seen nothing yet.
        guard case .wait(connect: true) = machine.subscribe(id: 3, to: "a", deliver: "a3", waiter: "w3") else {
            Issue.record("expected wait for connection"); return
        }
        #expect(machine.receivers(of: "a").count == 2)
        #expect(machine.connected() == ["a", "b"])
        let (resumeA, gapsA) = machine.subscribeConfirmed("a")
        #expect(resumeA == ["w3"])
        #expect(gapsA == ["a1"])
        let (_, gapsB) = machine.subscribeConfirmed("b")
        #expect(gapsB == ["b2"])
        // A duplicate confirmation pays nothing twice.
        #expect(machine.subscribeConfirmed("a").gaps.isEmpty)
    }

    @Test("a subscriber that left during the outage is owed nothing")
    func leftDuringOutage() {
        var machine = Machine()
        _ = machine.connected()
        _ = machine.subscribe(id: 1, to: "a", deliver: "a1", waiter: "w1")
        _ = machine.subscribe(id: 2, to: "a", deliver: "a2", waiter: "w2")
        _ = machine.subscribeConfirmed("a")
        machine.disconnected()
        _ = machine.unsubscribe(id: 1, from: "a")
        _ = machine.connected()
        #expect(machine.subscribeConfirmed("a").gaps == ["a2"])
    }

    @Test("cancelling before registering refuses the registration")
    func cancelledFirst() {
        var machine = Machine()
        let id = machine.makeID()
        _ = machine.unsubscribe(id: id, from: "a")
        guard case .cancelled("w") = machine.subscribe(id: id, to: "a", deliver: "d", waiter: "w") else {
            Issue.record("expected cancelled"); return
        }
        #expect(!machine.wantsConnection)
    }

    @Test("cancelling while waiting fails the waiter; the last one unsubscribes")
    func cancelWaiting() {
        var machine = Machine()
        _ = machine.connected()
        _ = machine.subscribe(id: 1, to: "a", deliver: "d", waiter: "w")
        guard case .sendUnsubscribe("a", failing: "w") = machine.unsubscribe(id: 1, from: "a") else {
            Issue.record("expected UNSUBSCRIBE failing the waiter"); return
        }
    }

    @Test("shutting down returns every waiter")
    func shutDown() {
        var machine = Machine()
        _ = machine.subscribe(id: 1, to: "a", deliver: "d", waiter: "w")
        #expect(machine.shutDown() == ["w"])
    }
}
