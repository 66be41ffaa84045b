// Invocation logs name a Region (`us-east-1`); usage types start with AWS's billing short code for it
// (`USE1-Claude4.6Sonnet-input-tokens`). The codes are not derivable from the names (`eu-west-1` is
// `EU`, `ap-south-1` is `APS3`, `ap-southeast-3` is `APS4`), so they are a table. Sources, cited in
// docs/formats/invocation-logs.md:
// - AWS, "AWS Region billing codes" (docs.aws.amazon.com/global-infrastructure/latest/regions/
//   aws-region-billing-codes.html): North America, Africa, Asia Pacific, and `EU` for eu-west-1.
// - AWS China, "Understanding your AWS billing and usage reports for Amazon S3" (docs.amazonaws.cn, as
//   quoted in a public note): EU, EUC1, EUW2, EUW3, SAE1, UGW1, and "USE1 or no prefix" for us-east-1.
// - Infracost-style pricing clients that build usage types from Region names, which agree with each
//   other for the rest of Europe, the Middle East, Israel, GovCloud (US-East) and China.

/// The short Region codes that prefix usage types in the Cost and Usage Report.
///
/// ```swift
/// AWSRegionCode.usageTypePrefix(for: "eu-west-1")  // "EU"
/// AWSRegionCode.region(forUsageTypePrefix: "APS3")  // "ap-south-1"
/// ```
public enum AWSRegionCode {
    /// Every Region known, with its usage-type prefix, ordered as AWS lists them.
    public static let table: [(region: String, prefix: String)] = [
        // North America
        ("us-east-1", "USE1"), ("us-east-2", "USE2"), ("us-west-1", "USW1"), ("us-west-2", "USW2"),
        ("ca-central-1", "CAN1"), ("ca-west-1", "CAN2"), ("mx-central-1", "MXC1"),
        // Africa
        ("af-south-1", "AFS1"),
        // Asia Pacific
        ("ap-east-1", "APE1"), ("ap-east-2", "APE2"), ("ap-northeast-1", "APN1"), ("ap-northeast-2", "APN2"),
        ("ap-northeast-3", "APN3"), ("ap-southeast-1", "APS1"), ("ap-southeast-2", "APS2"), ("ap-south-1", "APS3"),
        ("ap-southeast-3", "APS4"), ("ap-south-2", "APS5"), ("ap-southeast-4", "APS6"), ("ap-southeast-5", "APS7"),
        ("ap-southeast-6", "APS8"), ("ap-southeast-7", "APS9"),
        // Europe
        ("eu-west-1", "EU"), ("eu-west-2", "EUW2"), ("eu-west-3", "EUW3"), ("eu-central-1", "EUC1"),
        ("eu-central-2", "EUC2"), ("eu-north-1", "EUN1"), ("eu-south-1", "EUS1"), ("eu-south-2", "EUS2"),
        // Middle East and Israel
        ("me-south-1", "MES1"), ("me-central-1", "MEC1"), ("il-central-1", "ILC1"),
        // South America
        ("sa-east-1", "SAE1"),
        // AWS GovCloud (US)
        ("us-gov-west-1", "UGW1"), ("us-gov-east-1", "UGE1"),
        // China
        ("cn-north-1", "CNN1"), ("cn-northwest-1", "CNW1"),
    ]

    private static let prefixes: [String: String] = Dictionary(uniqueKeysWithValues: table.map { ($0.region, $0.prefix) })
    private static let regions: [String: String] = Dictionary(uniqueKeysWithValues: table.map { ($0.prefix, $0.region) })

    /// The usage-type prefix of a Region name (`us-east-1` → `USE1`), case-insensitive; nil for a Region
    /// not in ``table``.
    public static func usageTypePrefix(for region: String) -> String? {
        prefixes[region.lowercased()]
    }

    /// The Region name of a usage-type prefix (`EU` → `eu-west-1`), case-insensitive; nil for an
    /// unknown prefix.
    public static func region(forUsageTypePrefix prefix: String) -> String? {
        regions[prefix.uppercased()]
    }
}
