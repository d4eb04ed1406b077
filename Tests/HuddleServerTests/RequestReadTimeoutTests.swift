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
}
