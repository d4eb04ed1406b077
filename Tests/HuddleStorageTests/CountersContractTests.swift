import PortContracts
import Testing

/// The shared ``Counters`` contract on the durable backends.
@Suite struct CountersContractTests {
    @Test(arguments: Backend.available)
    func startAtZeroAndCountUpByOne(_ backend: Backend) async throws {
        let made = try await backend.make()
        try await CountersContract.startAtZeroAndCountUpByOne(made.counters)
        await made.close()
    }

    @Test(arguments: Backend.available)
    func concurrentIncrementsAreAtomic(_ backend: Backend) async throws {
        let made = try await backend.make()
        try await CountersContract.concurrentIncrementsAreAtomic(made.counters)
        await made.close()
    }

    @Test(arguments: Backend.available)
    func concurrentIncrementsOfManyCountersEachCountOnce(_ backend: Backend) async throws {
        let made = try await backend.make()
        try await CountersContract.concurrentIncrementsOfManyCountersEachCountOnce(made.counters)
        await made.close()
    }
}
