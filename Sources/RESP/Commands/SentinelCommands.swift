/// `SENTINEL GET-MASTER-ADDR-BY-NAME name`: where the named master is, or nil if this
/// Sentinel does not know it.
public struct SENTINEL_GET_MASTER_ADDR_BY_NAME: RESPCommand {
    public typealias Response = RESPServerAddress?
    public var masterName: String

    public init(masterName: String) {
        self.masterName = masterName
    }

    public func encode(into encoder: inout RESPCommandEncoder) {
        encoder.encodeArray(["SENTINEL", "GET-MASTER-ADDR-BY-NAME", .string(self.masterName)])
    }
}
