import ArgumentParser
import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Synchronization

/// `huddle bench connections`: opens and holds many idle WebSocket connections (optionally
/// subscribed to counter channels) and reports the servers' memory per connection (their
/// resident set, read from /proc, before and after).
struct ConnectionsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Hold many idle WebSocket connections; report server memory per connection.",
        discussion: """
            Give the servers' pids with --server-pid (same machine) to measure memory. The \
            open-files limit of this process is raised to its hard limit; the servers need \
            theirs raised too (ulimit -n) for more than about 1000 connections each.
            """
    )

    @Option(name: .customLong("url"), help: "A replica or load balancer, http://host:port (repeat for several).")
    var urls: [String] = ["http://127.0.0.1:8080"]

    @Option(help: "Connections to open.")
    var connections = 1_000

    @Option(help: "Counter channels the connections subscribe to, spread evenly (0: none, only connected).")
    var channels = 0

    @Option(help: "Connections being opened at once.")
    var concurrency = 50

    @Option(help: "Seconds to hold them once all are open (memory is read halfway).")
    var hold = 10.0

    @Option(name: .customLong("server-pid"), help: "A server process to measure (repeat for several).")
    var serverPIDs: [Int32] = []

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let targets = try BenchTarget.parse(self.urls)
        guard self.connections > 0, self.concurrency > 0, self.hold >= 0 else {
            throw ValidationError("--connections and --concurrency must be positive")
        }
        let fileLimit = OpenFiles.raiseLimit()
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let before = try self.residentBytes()
        let state = HeldConnections()
        let clock = ContinuousClock()
        let started = clock.now

        let after: Int = try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<self.connections {
                // At most `concurrency` handshakes in flight.
                while state.opened + state.failed < n - self.concurrency + 1 {
                    try await Task.sleep(for: .milliseconds(5))
                }
                group.addTask {
                    await state.hold(
                        self.channels > 0 ? "counter:bench-idle-\(n % self.channels)" : nil, at: targets[n % targets.count],
                        logger: logger)
                }
            }
            while state.opened + state.failed < self.connections {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(Int(self.hold * 500)))
            let after = try self.residentBytes()
            try await Task.sleep(for: .milliseconds(Int(self.hold * 500)))
            state.closeAll()
            await finish(&group, tasks: self.connections, within: 30)
            return after
        }
        let openSeconds = (clock.now - started).seconds - self.hold
        self.report(opened: state.opened, failed: state.failed, droppedEarly: state.droppedEarly, before: before,
                    after: after, openSeconds: openSeconds, fileLimit: fileLimit)
    }

    /// The servers' resident memory in bytes (0 without --server-pid).
    private func residentBytes() throws -> Int {
        try self.serverPIDs.reduce(0) { total, pid in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            else { throw ValidationError("cannot read the memory of process \(pid) (/proc/\(pid)/status)") }
            return total + kilobytes * 1024
        }
    }

    private func report(
        opened: Int, failed: Int, droppedEarly: Int, before: Int, after: Int, openSeconds: Double, fileLimit: Int
    ) {
        let perConnection = opened > 0 && !self.serverPIDs.isEmpty ? (after - before) / opened : 0
        if self.json {
            print(
                #"{"connections":\#(self.connections),"channels":\#(self.channels),"opened":\#(opened),"failed":\#(failed),"droppedEarly":\#(droppedEarly),"#
                    + #""targets":\#(self.urls.count),"rssBeforeBytes":\#(before),"rssAfterBytes":\#(after),"#
                    + #""bytesPerConnection":\#(perConnection),"openSeconds":\#(openSeconds),"clientFileLimit":\#(fileLimit)}"#)
            return
        }
        let subscribed = self.channels > 0 ? ", subscribed to \(self.channels) channels" : ""
        print("connections: \(opened) of \(self.connections) open\(subscribed) over \(self.urls.joined(separator: " ")) in \(Latencies.format(openSeconds)) s (\(failed) failed, \(droppedEarly) closed by the server while held)")
        if self.serverPIDs.isEmpty {
            print("  server memory     not measured (give --server-pid)")
        } else {
            print("  server RSS        \(before / 1_048_576) MiB → \(after / 1_048_576) MiB")
            print("  per connection    \(perConnection) bytes (\(perConnection / 1024) KiB)")
        }
        print("  client file limit \(fileLimit)")
    }
}

/// The connections of one `bench connections` run.
final class HeldConnections: Sendable {
    private let openCount = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)
    private let writers = Mutex<[WebSocketOutboundWriter]>([])
    private let closing = Atomic<Bool>(false)

    var opened: Int { self.openCount.load(ordering: .relaxed) }
    var droppedEarly: Int { self.dropped.load(ordering: .relaxed) }
    var failed: Int { self.failures.load(ordering: .relaxed) }

    /// Opens one connection (subscribed to `channel`, if any) and holds it until ``closeAll()``.
    func hold(_ channel: String?, at target: BenchTarget, logger: Logger) async {
        let openOn = channel == nil ? "welcome" : "subscribed"
        let counted = Latch()
        do {
            try await WebSocketClient.connect(url: target.realtime, logger: logger) { inbound, outbound, _ in
                self.writers.withLock { $0.append(outbound) }
                if let channel {
                    try await outbound.writeTextMessage(#"{"type":"subscribe","channel":"\#(channel)","since":-1}"#)
                }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if !counted.isSet, case .text(let text) = message, BenchFrame.parse(text)?.type == openOn {
                        counted.set()
                        self.openCount.add(1, ordering: .relaxed)
                    }
                }
            }
        } catch {
            // Counted below: a connection that never got in failed, whatever the error.
        }
        if !counted.isSet {
            self.failures.add(1, ordering: .relaxed)
        } else if !self.closing.load(ordering: .relaxed) {
            self.dropped.add(1, ordering: .relaxed)
        }
    }

    func closeAll() {
        self.closing.store(true, ordering: .relaxed)
        for writer in self.writers.withLock({ $0 }) {
            Task { try? await writer.close(.normalClosure, reason: "benchmark over") }
        }
    }
}

/// A flag set once, read from anywhere.
final class Latch: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { self.value.store(true, ordering: .relaxed) }
    var isSet: Bool { self.value.load(ordering: .relaxed) }
}
