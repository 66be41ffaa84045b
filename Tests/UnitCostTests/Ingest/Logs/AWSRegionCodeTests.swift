import Testing
import UnitCost

/// Region names as invocation logs write them against the usage-type prefixes CUR bills them under.
/// Sources: AWS "AWS Region billing codes" (global-infrastructure guide) for North America, Africa, Asia
/// Pacific and `EU`; AWS China's S3 usage-report page for EUC1, EUW2, EUW3, SAE1, UGW1; public pricing
/// clients for the rest (docs/formats/invocation-logs.md lists them).
@Suite struct InvocationLogRegionCodeTests {
    @Test(arguments: [
        ("us-east-1", "USE1"), ("us-east-2", "USE2"), ("us-west-1", "USW1"), ("us-west-2", "USW2"),
        ("ca-central-1", "CAN1"), ("ca-west-1", "CAN2"), ("mx-central-1", "MXC1"), ("af-south-1", "AFS1"),
        ("ap-east-1", "APE1"), ("ap-east-2", "APE2"), ("ap-northeast-1", "APN1"), ("ap-northeast-2", "APN2"),
        ("ap-northeast-3", "APN3"), ("ap-southeast-1", "APS1"), ("ap-southeast-2", "APS2"), ("ap-south-1", "APS3"),
        ("ap-southeast-3", "APS4"), ("ap-south-2", "APS5"), ("ap-southeast-4", "APS6"), ("ap-southeast-5", "APS7"),
        ("ap-southeast-6", "APS8"), ("ap-southeast-7", "APS9"), ("eu-west-1", "EU"), ("eu-west-2", "EUW2"),
        ("eu-west-3", "EUW3"), ("eu-central-1", "EUC1"), ("eu-central-2", "EUC2"), ("eu-north-1", "EUN1"),
        ("eu-south-1", "EUS1"), ("eu-south-2", "EUS2"), ("me-south-1", "MES1"), ("me-central-1", "MEC1"),
        ("il-central-1", "ILC1"), ("sa-east-1", "SAE1"), ("us-gov-west-1", "UGW1"), ("us-gov-east-1", "UGE1"),
        ("cn-north-1", "CNN1"), ("cn-northwest-1", "CNW1"),
    ])
    func regionsMapToTheirPrefixAndBack(_ region: String, _ prefix: String) {
        #expect(AWSRegionCode.usageTypePrefix(for: region) == prefix)
        #expect(AWSRegionCode.region(forUsageTypePrefix: prefix) == region)
    }

    @Test func lookupsIgnoreCaseAndUnknownsAreNil() {
        #expect(AWSRegionCode.usageTypePrefix(for: "EU-WEST-1") == "EU")
        #expect(AWSRegionCode.region(forUsageTypePrefix: "use1") == "us-east-1")
        #expect(AWSRegionCode.usageTypePrefix(for: "mars-north-1") == nil)
        #expect(AWSRegionCode.region(forUsageTypePrefix: "EUW1") == nil)  // eu-west-1 is EU, not EUW1
        #expect(AWSRegionCode.usageTypePrefix(for: "") == nil)
    }

    @Test func theTableIsOneToOne() {
        #expect(Set(AWSRegionCode.table.map(\.region)).count == AWSRegionCode.table.count)
        #expect(Set(AWSRegionCode.table.map(\.prefix)).count == AWSRegionCode.table.count)
    }

    @Test(arguments: [
        ("USE1-Claude4.6Sonnet-input-tokens", "us-east-1"),
        ("EU-Qwen3-32B-output-tokens-batch", "eu-west-1"),
        ("EUW2-Claude4.5Haiku-input-tokens-cross-region-geo", "eu-west-2"),
        ("APN1-NovaPro-input-tokens-batch", "ap-northeast-1"),
        ("APS2-openai.gpt-oss-20b-mantle-output-tokens-batch", "ap-southeast-2"),
        ("USW2-MP:USW2_InputTokenCount-Units", "us-west-2"),
    ])
    func billedUsageTypesNameKnownRegions(_ usageType: String, _ region: String) throws {
        let prefix = try #require(UsageType(usageType).region)
        #expect(AWSRegionCode.region(forUsageTypePrefix: prefix) == region)
    }
}
