import NIOCore

/// A Sentinel's `+switch-master` message: `<name> <old-ip> <old-port> <new-ip> <new-port>`.
struct RESPSwitchMasterEvent: Hashable {
    var masterName: String
    var old: RESPServerAddress
    var new: RESPServerAddress

    init?(_ payload: ByteBuffer) {
        let words = String(buffer: payload).split(separator: " ")
        guard words.count == 5, let oldPort = Int(words[2]), let newPort = Int(words[4]) else { return nil }
        self.masterName = String(words[0])
        self.old = RESPServerAddress(host: String(words[1]), port: oldPort)
        self.new = RESPServerAddress(host: String(words[3]), port: newPort)
    }
}
