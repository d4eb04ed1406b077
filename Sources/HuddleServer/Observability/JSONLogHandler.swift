#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HuddleCore
public import Logging
import Synchronization

/// A swift-log handler writing one JSON object per line to standard output, for log shippers.
///
/// Fields: `time` (ISO 8601 UTC), `level`, `logger`, `message`, then the metadata flattened
/// (`requestId`, `method`, `path`, `status`, `elapsedMs` on request lines).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    /// Adds the current trace's ids when tracing is on (see ``TracingSetup/logMetadata``).
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = self.metadata
        if let provided = self.metadataProvider?.get(), !provided.isEmpty {
            fields.merge(provided) { _, new in new }
        }
        if let extra = event.metadata {
            fields.merge(extra) { _, new in new }
        }
        var line = "{\"time\":\"\(Self.timestamp())\",\"level\":\"\(event.level.rawValue)\",\"logger\":"
        JSONText.appendString(self.label, to: &line)
        line += ",\"message\":"
        JSONText.appendString(event.message.description, to: &line)
        for key in fields.keys.sorted() where !["time", "level", "logger", "message"].contains(key) {
            line += ","
            JSONText.appendString(key, to: &line)
            line += ":"
            Self.append(fields[key]!, to: &line)
        }
        line += "}\n"
        Self.emit(line)
    }

    private static func append(_ value: Logger.MetadataValue, to line: inout String) {
        switch value {
        case .string(let text):
            JSONText.appendString(text, to: &line)
        case .stringConvertible(let value):
            // Numbers logged as values (`.stringConvertible(status)`) stay numbers in the JSON.
            switch value {
            case let number as any BinaryInteger: line += "\(number)"
            case let number as Double: JSONText.appendNumber(number, to: &line)
            default: JSONText.appendString(value.description, to: &line)
            }
        case .array(let values):
            line += "["
            for (index, value) in values.enumerated() {
                if index > 0 { line += "," }
                Self.append(value, to: &line)
            }
            line += "]"
        case .dictionary(let values):
            line += "{"
            for (index, key) in values.keys.sorted().enumerated() {
                if index > 0 { line += "," }
                JSONText.appendString(key, to: &line)
                line += ":"
                Self.append(values[key]!, to: &line)
            }
            line += "}"
        }
    }

    private static let output = Mutex(())

    private static func emit(_ line: String) {
        var line = line
        output.withLock { _ in
            line.withUTF8 { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
    }

    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private static func timestamp() -> String {
        Self.timeFormat.format(Date())
    }
}
