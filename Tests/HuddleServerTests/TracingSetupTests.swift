@testable import HuddleServer
import Testing

struct TracingSetupTests {
    @Test func offWithoutAnEndpoint() {
        #expect(!TracingSetup(endpoint: nil, environment: [:]).isEnabled)
        #expect(TracingSetup(endpoint: nil, environment: [:]).logMetadata == nil)
        #expect(!TracingSetup(endpoint: nil, environment: ["OTEL_SERVICE_NAME": "x"]).isEnabled)
    }

    @Test func onWithTheSettingOrEitherStandardVariable() {
        #expect(TracingSetup(endpoint: "http://collector:4318", environment: [:]).isEnabled)
        #expect(TracingSetup(endpoint: nil, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"]).isEnabled)
        #expect(
            TracingSetup(endpoint: nil, environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"])
                .isEnabled)
        #expect(TracingSetup(endpoint: "http://collector:4318", environment: [:]).logMetadata != nil)
    }

    @Test func theStandardSwitchesTurnItOff() {
        let endpoint = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"]
        #expect(!TracingSetup(endpoint: nil, environment: endpoint.merging(["OTEL_SDK_DISABLED": "true"]) { $1 }).isEnabled)
        #expect(!TracingSetup(endpoint: nil, environment: endpoint.merging(["OTEL_TRACES_EXPORTER": "none"]) { $1 }).isEnabled)
    }

    @Test func theSettingWinsOverTheEnvironment() {
        let setup = TracingSetup(
            endpoint: "http://flag:4318",
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://env:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://env2"])
        #expect(setup.endpoint == "http://flag:4318")
    }

    @Test func theLoggedEndpointHasNoCredentials() {
        #expect(TracingSetup(endpoint: "https://user:secret@collector:4318", environment: [:]).endpointForLog == "https://…@collector:4318")
        #expect(TracingSetup(endpoint: "http://collector:4318/a@b", environment: [:]).endpointForLog == "http://collector:4318/a@b")
        #expect(TracingSetup(endpoint: nil, environment: [:]).endpointForLog == nil)
    }
}
