/// Why a line (or piece) has no campaign after every source was tried (SPEC §4), the first that applies.
public enum UnattributedReason: String, Sendable, Hashable, Comparable, CaseIterable {
    /// The line has no principal: credits, tax, exports without caller identity.
    case noPrincipal = "no-principal"
    /// No source set any dimension.
    case unmappedPrincipal = "unmapped-principal"
    /// Some source set other dimensions, none set a campaign.
    case noCampaign = "no-campaign"

    /// The reason for a line with these final dimensions, or nil when it has a campaign.
    public static func of(_ dimensions: Dimensions, hasPrincipal: Bool) -> UnattributedReason? {
        guard dimensions[.campaign] == nil else { return nil }
        if !hasPrincipal { return .noPrincipal }
        return dimensions.isEmpty ? .unmappedPrincipal : .noCampaign
    }

    public static func < (a: UnattributedReason, b: UnattributedReason) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
