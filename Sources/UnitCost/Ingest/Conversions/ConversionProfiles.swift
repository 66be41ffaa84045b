/// The reader for each conversion profile (SPEC §3.3's table), and the profile defaults that are not
/// about parsing: which actions count and what extra statuses mean.
public enum ConversionProfiles {
    /// The reader of a source's profile.
    public static func reader(for source: ConversionSource) throws(UnitCostError) -> any ConversionFeedReader {
        switch source.profile {
        case .cjXML: return XMLFeedReader.cjCommissions(currency: source.currency)
        case .impactXML: return XMLFeedReader.impactActions()
        case .mapped(let format, let record, let fields):
            switch format {
            case "xml":
                // A mapped feed counts one conversion per record unless it maps a count.
                return try XMLFeedReader(
                    record: record ?? "", fields: fields, countPerRecord: fields[.count] == nil ? Money(1) : nil,
                    correction: .init(negativeValue: true), currency: source.currency)
            default: return try CSVFeedReader.mapped(format: format, fields: fields)
            }
        case .googleAdsUI: return CSVFeedReader.googleAdsUI()
        case .googleAdsAPI: return CSVFeedReader.googleAdsAPI()
        case .metaAds: return CSVFeedReader.metaAds(countResults: source.countResults)
        case .appsflyer: return CSVFeedReader.appsflyer()
        }
    }

    /// Whether an action counts for a source: its `actions:` list, else the profile's default (Google
    /// and Meta as exported; CJ `sale`; Impact action trackers whose name says "sale"; mapped sources
    /// every action). Case-insensitive.
    public static func selects(_ action: String?, for source: ConversionSource) -> Bool {
        let name = (action ?? "").trimmingSpaces.lowercased()
        if let actions = source.actions { return actions.contains { $0.trimmingSpaces.lowercased() == name } }
        switch source.profile {
        case .cjXML: return name == "sale"
        case .impactXML: return name.contains("sale")
        default: return true
        }
    }

    /// A raw status's meaning: the source's `statuses:`, the profile's own words (CJ `corrected`
    /// records are approved corrections), then SPEC §3.3's defaults. A row without a status is approved.
    public static func status(_ raw: String?, for source: ConversionSource) -> ConversionStatus? {
        guard let raw, !raw.trimmingSpaces.isEmpty else { return .approved }
        let key = raw.trimmingSpaces.lowercased()
        if let mapped = source.statuses[key] { return mapped }
        if source.profile == .cjXML && key == "corrected" { return .approved }
        if source.profile == .impactXML && key == "default" { return .approved }
        return ConversionStatus.defaultMapping(key)
    }
}
