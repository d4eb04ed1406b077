// libFuzzer entry point for the RESP decoder (see scripts/fuzz-resp).
//
// Built only by scripts/fuzz-resp, with `-sanitize=fuzzer,address -parse-as-library`.
// SwiftPM links an executable's entry point under the name `RESPFuzzer_main`, so that is
// defined here and hands control to libFuzzer's driver, which calls
// `LLVMFuzzerTestOneInput` for each input (and replays a file given as argument).
import NIOCore
import RESP

/// Decodes `bytes` as a stream of tokens, with small limits so that limit paths get explored,
/// and walks every token fully: a validated token must never trap when read.
func exercise(_ bytes: UnsafeRawBufferPointer) {
    let limits = RESPDecodingLimits(maximumDepth: 16, maximumBulkLength: 4096, maximumAggregateCount: 512, maximumLineLength: 256, maximumMessageSize: 8192)
    var buffer = ByteBuffer(bytes: bytes)
    var decoder = RESPTokenDecoder(limits: limits)
    while buffer.readableBytes > 0 {
        guard let token = try? decoder.decode(buffer: &buffer) else { return }
        // A validated token must validate again on its own, and be readable all the way down.
        guard (try? RESPToken(validating: token.base, limits: limits)) == token else {
            fatalError("token does not revalidate: \(token)")
        }
        _ = RESPValue(token)
        _ = token.serverError
        _ = try? [RESPToken](fromRESP: token)
        _ = try? [String: RESPValue](fromRESP: token)
    }
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

@_cdecl("RESPFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { start, length in fuzzOne(start, length) }
}
