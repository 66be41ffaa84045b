/// One entry of `conversions.sources` (SPEC §3.3): where a platform's export is, which profile reads
/// it, and how its records count.
///
/// ```yaml
/// - {name: google-ads, path: exports/google-ads-*.csv, profile: google-ads-ui}
/// - {name: cj, path: feeds/cj-2026-06.xml, profile: cj-xml, currency: USD}
/// - name: partner
///   path: feeds/partner.xml
///   profile: {format: xml, record: /feed/conversion, fields: {id: "@id", time: "@time", value: value}}
/// ```
public struct ConversionSource: Sendable {
    /// How a source's rows are read.
    public enum Profile: Sendable, Equatable {
        case googleAdsUI, googleAdsAPI, metaAds, appsflyer, cjXML, impactXML
        /// A mapping in the config: `format` csv, xml or jsonl; `record` for XML; fields to columns,
        /// relative XPath expressions or JSON keys (each one or a list tried in order).
        case mapped(format: String, record: String?, fields: [ConversionField: [String]])

        /// The built-in profile names.
        public static let builtIn: [String: Profile] = [
            "google-ads-ui": .googleAdsUI, "google-ads-api": .googleAdsAPI, "meta-ads": .metaAds, "appsflyer": .appsflyer,
            "cj-xml": .cjXML, "impact-xml": .impactXML,
        ]

        /// The profile's name in messages.
        public var name: String {
            if let (name, _) = Profile.builtIn.first(where: { $0.value == self }) { return name }
            if case .mapped(let format, _, _) = self { return "mapped \(format)" }
            return "?"
        }
    }

    /// When the platform dates a conversion: the ad interaction or the conversion itself.
    public enum DateBasis: String, Sendable {
        case interaction, conversion
    }

    /// The source's name (reports, `conversions_by_source`).
    public var name: String
    /// Files or glob patterns, relative to the config.
    public var paths: [String]
    public var profile: Profile
    /// Currency of values when the export has none (CJ XML), and the check that one exists.
    public var currency: String?
    /// Actions that count; nil means the profile's default.
    public var actions: [String]?
    /// Raw status → approved, pending or excluded, on top of the defaults.
    public var statuses: [String: ConversionStatus] = [:]
    public var dateBasis: DateBasis
    /// Time zone of date-times without an offset.
    public var timezone: String?
    /// Days after which a period's conversions are complete.
    public var maturityDays: Int
    /// Meta: count `Results` instead of purchases (`count: results`).
    public var countResults = false

    /// A source; `statuses` and `countResults` start empty and off.
    public init(
        name: String, paths: [String], profile: Profile, currency: String?, actions: [String]?, dateBasis: DateBasis, timezone: String?,
        maturityDays: Int
    ) {
        self.name = name
        self.paths = paths
        self.profile = profile
        self.currency = currency
        self.actions = actions
        self.dateBasis = dateBasis
        self.timezone = timezone
        self.maturityDays = maturityDays
    }

    /// The defaults of SPEC §3.3 for a profile: date basis and maturity.
    public static func defaults(for profile: Profile) -> (dateBasis: DateBasis, maturityDays: Int) {
        switch profile {
        case .googleAdsUI, .googleAdsAPI: return (.interaction, 30)
        case .metaAds: return (.interaction, 7)
        case .cjXML, .impactXML: return (.conversion, 45)
        case .appsflyer, .mapped: return (.conversion, 0)
        }
    }
}

/// What a conversion's status means for counting (SPEC §3.3 "Status").
public enum ConversionStatus: String, Sendable, Hashable {
    case approved, pending, excluded

    /// The default mapping: approved/locked/closed → approved; pending/new/extended → pending;
    /// declined/rejected/reversed → excluded. Case-insensitive.
    public static func defaultMapping(_ raw: String) -> ConversionStatus? {
        switch raw.trimmingSpaces.lowercased() {
        case "approved", "locked", "closed": return .approved
        case "pending", "new", "extended": return .pending
        case "declined", "rejected", "reversed": return .excluded
        default: return nil
        }
    }
}
