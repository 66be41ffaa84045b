/// The grain at which invocation logs meet the bill (SPEC §4, source 5): one UTC day, one caller, one
/// region, one model and one token kind.
///
/// The fields keep what the log wrote: `region` is a Region name (`us-east-1`; ``AWSRegionCode`` turns
/// it into the `USE1` of a usage type) and `modelID` is the `modelId` as invoked (`us.anthropic.claude-…`,
/// or an inference-profile ARN; ``ModelMatch`` pairs it with a CUR model). Tier and routing are not here:
/// logs do not record them, so the join decides which billed tiers a group can cover.
public struct LogGroup: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The UTC day of the record's `timestamp`.
    public var day: Day
    /// `identity.arn` as logged.
    public var principalARN: String
    /// `region` as logged (`us-east-1`).
    public var region: String
    /// `modelId` as logged.
    public var modelID: String
    /// Input, output, cache read or cache write; never `other`.
    public var kind: TokenKind

    /// Creates a group key.
    public init(day: Day, principalARN: String, region: String, modelID: String, kind: TokenKind) {
        self.day = day
        self.principalARN = principalARN
        self.region = region
        self.modelID = modelID
        self.kind = kind
    }

    /// Day, then principal, region, model and kind.
    public static func < (a: LogGroup, b: LogGroup) -> Bool {
        if a.day != b.day { return a.day < b.day }
        if a.principalARN != b.principalARN { return a.principalARN < b.principalARN }
        if a.region != b.region { return a.region < b.region }
        if a.modelID != b.modelID { return a.modelID < b.modelID }
        return a.kind < b.kind
    }

    /// `2026-06-15 us-east-1 MODEL input PRINCIPAL`.
    public var description: String { "\(day) \(region) \(modelID) \(kind.rawValue) \(principalARN)" }
}
