// The built-in mappings of SPEC §3.3 as data: which header names feed which normalized field, which
// columns a file must have, and the quirks each platform's export needs tolerated. Header names are
// matched without regard to case, surrounding spaces, byte order marks or zero-width characters.

/// How one CSV (or JSON lines) conversion export maps onto ``ConversionField``s.
struct CSVFeedProfile: Sendable {
    /// The platforms whose quirks differ.
    enum Kind: Sendable, Equatable {
        case googleAdsUI, googleAdsAPI, metaAds, appsflyer, mapped
    }

    /// How the records are written.
    enum Format: Sendable, Equatable {
        case csv, jsonLines
    }

    /// The profile's name in messages (`google-ads-ui`, `mapped csv`).
    var name: String
    var kind: Kind
    var format: Format = .csv
    /// Each field with the header names (or JSON key paths) tried in order.
    var columns: [(field: ConversionField, names: [String])]
    /// Groups of fields of which one must be found; each group is one "needs" item in the error.
    var required: [[ConversionField]]
    /// Count 1 per record when no count column is mapped.
    var countsOnePerRow = false
    /// Cells holding `--` (Google's "not available") are empty.
    var dashIsEmpty = false
    /// Cells holding `null` or `None` (AppsFlyer) are empty.
    var nullWordIsEmpty = false
    /// Rows whose first cell starts with `Total` are the export's summary rows (Google Ads UI).
    var hasTotalsRows = false
    /// The spend column is in micros (`metrics.cost_micros`).
    var spendInMicros = false
    /// Meta: a spend column `Amount spent (XXX)` names the currency.
    var spendCurrencyInHeader = false
    /// What to add to the missing-columns error, if anything.
    var requiredHint: String?

    /// Fields that hold identifiers: kept as text, and refused in scientific notation.
    static let identifierFields: [ConversionField] = [.campaign, .audience, .creative, .id, .originalID]

    /// The names tried for `field`, or nil when the profile does not map it.
    func names(for field: ConversionField) -> [String]? {
        // Compared by slot: `==` on a String-backed enum may build raw strings.
        columns.first { CSVFeedCells.slot($0.field) == CSVFeedCells.slot(field) }?.names
    }

    /// Every name the profile knows, for finding the header among preamble lines.
    var vocabulary: [String] {
        columns.flatMap(\.names) + (spendCurrencyInHeader ? ["Amount spent"] : [])
    }

    // MARK: - Built-in profiles

    static let googleAdsUI = CSVFeedProfile(
        name: "google-ads-ui", kind: .googleAdsUI,
        columns: [
            (.time, ["Day"]),
            (.campaign, ["Campaign ID", "Campaign"]),
            (.campaignName, ["Campaign"]),
            (.audience, ["Ad group ID"]),
            (.audienceName, ["Ad group"]),
            (.creative, ["Ad ID"]),
            (.action, ["Conversion action"]),
            (.count, ["Conversions"]),
            (.value, ["Conv. value"]),
            (.currency, ["Currency code"]),
            (.spend, ["Cost"]),
        ],
        required: [[.time], [.campaign], [.count]],
        dashIsEmpty: true, hasTotalsRows: true)

    static let googleAdsAPI = CSVFeedProfile(
        name: "google-ads-api", kind: .googleAdsAPI,
        columns: [
            (.time, ["segments.date"]),
            (.campaign, ["campaign.id"]),
            (.campaignName, ["campaign.name"]),
            (.audience, ["ad_group.id"]),
            (.audienceName, ["ad_group.name"]),
            (.creative, ["ad_group_ad.ad.id"]),
            (.creativeName, ["ad_group_ad.ad.name"]),
            (.action, ["segments.conversion_action_name"]),
            (.count, ["metrics.conversions"]),
            (.value, ["metrics.conversions_value"]),
            (.currency, ["customer.currency_code"]),
            (.spend, ["metrics.cost_micros"]),
        ],
        required: [[.time], [.campaign], [.count]],
        spendInMicros: true)

    static func metaAds(countResults: Bool) -> CSVFeedProfile {
        CSVFeedProfile(
            name: "meta-ads", kind: .metaAds,
            columns: [
                (.time, ["Reporting starts"]),
                (.endTime, ["Reporting ends"]),
                (.campaign, ["Campaign ID"]),
                (.campaignName, ["Campaign name"]),
                (.audience, ["Ad Set ID", "Ad set ID"]),
                (.audienceName, ["Ad Set Name", "Ad set name"]),
                (.creative, ["Ad ID"]),
                (.creativeName, ["Ad name"]),
                (.action, ["Result indicator"]),
                (.count, countResults ? ["Results"] : ["Purchases", "Website purchases"]),
                (.value, ["Purchases conversion value", "Website purchases conversion value"]),
                (.currency, ["Currency"]),
            ],
            required: [[.time], [.endTime], [.campaign], [.count]],
            spendCurrencyInHeader: true,
            requiredHint: countResults
                ? "(count: results is set; without it the profile counts \"Purchases\")"
                : "(or \"Results\" with count: results)")
    }

    static let appsflyer = CSVFeedProfile(
        name: "appsflyer", kind: .appsflyer,
        columns: [
            (.time, ["Event Time"]),
            (.campaign, ["Campaign ID"]),
            (.campaignName, ["Campaign"]),
            (.audience, ["Adset ID"]),
            (.audienceName, ["Adset"]),
            (.creative, ["Ad ID"]),
            (.creativeName, ["Ad"]),
            (.action, ["Event Name"]),
            (.value, ["Event Revenue"]),
            (.currency, ["Event Revenue Currency"]),
            (.id, ["Event ID"]),
        ],
        required: [[.time], [.action], [.campaign]],
        countsOnePerRow: true, nullWordIsEmpty: true)

    static func mapped(format: Format, fields: [ConversionField: [String]]) -> CSVFeedProfile {
        CSVFeedProfile(
            name: format == .csv ? "mapped csv" : "mapped jsonl", kind: .mapped, format: format,
            // In the enum's order, so messages and notes come out the same every run.
            columns: ConversionField.allCases.compactMap { field in
                guard let names = fields[field], !names.isEmpty else { return nil }
                return (field, names)
            },
            required: [[.time]],
            countsOnePerRow: true)
    }
}
