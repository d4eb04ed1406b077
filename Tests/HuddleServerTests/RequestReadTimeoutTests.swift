@testable import HuddleServer
import NIOCore
import NIOEmbedded
import Testing

@Suite struct RequestReadTimeoutTests {
    /// What a head says about its body, header names in any case.
    @Test func framingReadsTheHeadersThatSayWhatFollows() {
        let head = { (text: String) in RequestReadTimeout.Framing(head: Array(text.utf8)) }
        #expect(head("POST / HTTP/1.1\r\nHost: x\r\nContent-LENGTH:  12\r\n\r\n").contentLength == 12)
        #expect(head("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n").chunked)
        #expect(head("GET / HTTP/1.1\r\nUPGRADE: WebSocket\r\n\r\n").webSocketUpgrade)
        let plain = head("GET / HTTP/1.1\r\nContent-Lengths: 5\r\nX-Upgrade: websocket\r\ncontent-length: x\r\n\r\n")
        #expect(plain.contentLength == 0 && !plain.chunked && !plain.webSocketUpgrade)
        // The request line is not a header.
        #expect(head("Upgrade: websocket\r\n\r\n").webSocketUpgrade == false)
    }

    /// A head split across reads anywhere, even inside its final CRLF CRLF, ends where it
    /// ends: its body is timed after it, and the next request's head after that.
    @Test func aHeadSplitAcrossReadsIsFoundWhereverItBreaks() throws {
        let request = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\n\r\n"
        for split in 1..<request.utf8.count {
            let channel = EmbeddedChannel()
            let handler = RequestReadTimeout(headTimeout: .seconds(10), bodyTimeout: .seconds(30))
            try channel.pipeline.syncOperations.addHandler(handler)
            let bytes = Array(request.utf8)
            try channel.writeInbound(ByteBuffer(bytes: bytes[..<split]))
            try channel.writeInbound(ByteBuffer(bytes: bytes[split...]))
            #expect(handler.isIdle, "split at \(split)")
            _ = try channel.finish()
        }
    }

    private func connected() throws -> (EmbeddedChannel, RequestReadTimeout) {
        let channel = EmbeddedChannel()
        let handler = RequestReadTimeout(headTimeout: .seconds(10), bodyTimeout: .seconds(30))
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, handler)
    }

    private func send(_ text: String, on channel: EmbeddedChannel) throws {
        try channel.writeInbound(ByteBuffer(string: text))
        while try channel.readInbound(as: ByteBuffer.self) != nil {}
    }

    /// Expects `channel` to be closed `seconds` from now: open a second before, closed a second
    /// after.
    private func expectClosed(_ channel: EmbeddedChannel, in seconds: Int64, _ comment: Comment) {
        channel.embeddedEventLoop.advanceTime(by: .seconds(seconds - 1))
        #expect(channel.isActive, comment)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive, comment)
    }

    /// A head that stops coming is closed once its timeout has passed, not before: the first
    /// one's counted from the accept, a later one's from its first byte.
    @Test func aStalledHeadIsClosedAtItsTimeout() throws {
        let (first, _) = try self.connected()
        first.embeddedEventLoop.advanceTime(by: .seconds(5))
        try self.send("GET / HTTP/1.1\r\nHost", on: first)
        self.expectClosed(first, in: 5, "the first head's 10 s count from the accept")

        let (later, _) = try self.connected()
        try self.send("GET / HTTP/1.1\r\n\r\n", on: later)
        later.embeddedEventLoop.advanceTime(by: .seconds(5))
        try self.send("GET / HTTP/1.1\r\nHost", on: later)
        self.expectClosed(later, in: 10, "a later head's 10 s count from its first byte")
    }

    /// Requests that keep coming, each well within its timeout, never close the connection
    /// (the one timer re-arms for the newest deadline), and a stall after them still does.
    @Test func requestsThatKeepComingStayOpenAndALaterStallCloses() throws {
        let (channel, handler) = try self.connected()
        for _ in 0..<20 {
            try self.send("GET / HTTP/1.1\r\nHost: x\r\n", on: channel)
            channel.embeddedEventLoop.advanceTime(by: .seconds(6))
            try self.send("\r\n", on: channel)
            #expect(handler.isIdle)
        }
        #expect(channel.isActive)
        try self.send("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", on: channel)
        self.expectClosed(channel, in: 30, "a body may stall for its own 30 s, longer than a head's 10 s")
    }

    /// Between requests nothing is timed here: a keep-alive connection waits (Hummingbird's
    /// idle timeout closes it, not this handler).
    @Test func nothingIsTimedBetweenRequests() throws {
        let (channel, handler) = try self.connected()
        try self.send("GET / HTTP/1.1\r\n\r\n", on: channel)
        #expect(handler.isIdle)
        channel.embeddedEventLoop.advanceTime(by: .seconds(3600))
        #expect(channel.isActive)
    }
}
