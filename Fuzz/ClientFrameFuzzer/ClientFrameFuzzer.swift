// libFuzzer entry point for the gateway's reading of client messages (see
// scripts/fuzz-client-frames).
//
// Built only by scripts/fuzz-client-frames, with `-sanitize=fuzzer,address -parse-as-library`.
// SwiftPM links an executable's entry point under the name `ClientFrameFuzzer_main`, so that is
// defined here and hands control to libFuzzer's driver, which calls `LLVMFuzzerTestOneInput`
// for each input (and replays a file given as argument).
import Foundation
import HuddleCore
import HuddleGateway

/// Reads `bytes` as a client's text message, the way a session does, and as a bare JSON value;
/// whatever parses must render as JSON that reads back to the same text.
func exercise(_ bytes: UnsafeRawBufferPointer) {
    // A WebSocket text message is UTF-8 (the transport refuses the rest); repairing invalid
    // sequences keeps every input useful.
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        let frame = try ClientFrame.decode(text)
        if let data = frame.data { check(data) }
    } catch {
        precondition(!error.reason.isEmpty, "an unreadable frame says why")
    }
    if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) {
        check(value)
    }
}

/// What the server sends on (signals, stored events) is valid JSON, and reading it back changes
/// nothing: rendering is a fixed point, so no number drifts as it passes through replicas.
func check(_ value: JSONValue) {
    let rendered = value.jsonText
    guard let again = try? JSONDecoder().decode(JSONValue.self, from: Data(rendered.utf8)) else {
        fatalError("rendered JSON does not parse: \(rendered.prefix(500))")
    }
    guard again == value, again.jsonText == rendered else {
        fatalError("rendering is not stable: \(rendered.prefix(500)) reads back as \(again.jsonText.prefix(500))")
    }
    // HTTP bodies encode it with Foundation's encoder.
    guard let encoded = try? JSONEncoder().encode(value),
        (try? JSONDecoder().decode(JSONValue.self, from: encoded)) == value
    else {
        fatalError("JSONEncoder does not round-trip \(rendered.prefix(500))")
    }
    _ = value.doubleValue
    _ = value.integerValue
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    exercise(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}

typealias FuzzCallback = @convention(c) (UnsafeRawPointer?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzCallback
) -> CInt

@_cdecl("ClientFrameFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { start, length in fuzzOne(start, length) }
}
