// swift-tools-version:6.2
import Foundation
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "huddle",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "huddle", targets: ["huddle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // Only its OTLP/HTTP exporter: the gRPC one would bring grpc-swift into the build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // The domain: events, ports and their in-process backends. No I/O imports.
        .target(name: "HuddleCore", swiftSettings: strict),
        // Huddle's own Redis client: RESP2/RESP3 codec, connections, pool, pub/sub, Sentinel.
        // Knows nothing about Huddle, so that its backends can be built on top of it.
        .target(
            name: "RESP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                // A span per command, when the process has a tracer.
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        // Redis backends of the core's ports: Broker (pub/sub), Presence, Counters.
        .target(
            name: "HuddleRedis",
            dependencies: [
                "HuddleCore",
                "RESP",
                .product(name: "NIOCore", package: "swift-nio"),
                // TLS to Redis and its Sentinels (`rediss://`, `redis.tls`).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Durable backends of the core's ports.
        .target(
            name: "HuddleStorage",
            dependencies: [
                "HuddleCore",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        // QR codes (ISO/IEC 18004, byte mode) as a module matrix or SVG, for the Teams app's
        // join links. Pure Swift, no dependencies.
        .target(name: "HuddleQR", swiftSettings: strict),
        // The realtime gateway: sessions, the local hub, channel apps (the stream-app kit:
        // `StreamApp` over a domain's `StreamModel`, `EventLog`), client and server frames,
        // cursors, and its transport: NIO handlers on the upgraded channel (`Transport.swift`).
        .target(
            name: "HuddleGateway",
            dependencies: [
                "HuddleCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        // HTTP routes, the realtime upgrade in front of them, middleware, configuration.
        .target(
            name: "HuddleServer",
            dependencies: [
                "HuddleCore",
                "HuddleGateway",
                "HuddleStorage",
                "HuddleRedis",
                // Teams' join links as QR codes.
                "HuddleQR",
                // The chat bot's optional OpenAI-compatible endpoint.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // Its child channels, to put our own connection checks in front of them.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                // OpenTelemetry: the OTLP/HTTP span exporter, on only when configured.
                .product(name: "OTel", package: "swift-otel"),
            ],
            // The Chat bot's default FAQ, as bytes in the binary: no resource bundle to ship.
            resources: [.embedInCode("Apps/Chat/chat-faq.json")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "huddle",
            dependencies: [
                "HuddleServer",
                "HuddleCore",
                "HuddleStorage",
                // `huddle qr`.
                "HuddleQR",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                // `huddle bench`'s load generators.
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RESPTests",
            dependencies: [
                "RESP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "HuddleCoreTests", dependencies: ["HuddleCore"], swiftSettings: strict),
        .testTarget(name: "HuddleGatewayTests", dependencies: ["HuddleCore", "HuddleGateway"], swiftSettings: strict),
        .testTarget(name: "HuddleQRTests", dependencies: ["HuddleQR"], swiftSettings: strict),
        // The contract of each port, written once; every backend's test target runs it.
        .target(name: "PortContracts", dependencies: ["HuddleCore"], path: "Tests/PortContracts", swiftSettings: strict),
        .testTarget(
            name: "HuddleRedisTests",
            dependencies: [
                "HuddleCore",
                "HuddleRedis",
                "PortContracts",
                "RESP",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HuddleStorageTests",
            dependencies: [
                "HuddleCore",
                "HuddleStorage",
                "PortContracts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HuddleServerTests",
            dependencies: [
                "HuddleServer",
                "HuddleGateway",
                "HuddleRedis",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: strict
        ),
    ]
)

// The libFuzzer entry points (the RESP decoder's, the client frames') exist only in the builds
// of scripts/fuzz-resp and scripts/fuzz-client-frames (HUDDLE_FUZZ=1, their own scratch folder,
// -sanitize=fuzzer,address): they have no `main` of their own, so the ordinary build could not
// link them.
if ProcessInfo.processInfo.environment["HUDDLE_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "RESPFuzzer",
            dependencies: ["RESP", .product(name: "NIOCore", package: "swift-nio")],
            path: "Fuzz/RESPFuzzer",
            swiftSettings: strict
        )
    )
    // The gateway's reading of a client's text message (scripts/fuzz-client-frames).
    package.targets.append(
        .executableTarget(
            name: "ClientFrameFuzzer",
            dependencies: ["HuddleCore", "HuddleGateway"],
            path: "Fuzz/ClientFrameFuzzer",
            swiftSettings: strict
        )
    )
}
