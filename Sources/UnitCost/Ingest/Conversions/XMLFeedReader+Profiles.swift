// The built-in XML profiles of SPEC §3.3's mapping table; docs/formats/xml-feeds.md lists them in full.

extension XMLFeedReader {
    /// The `cj-xml` profile: CJ's commission detail API (`<cj-api><commissions><commission>…`).
    ///
    /// One conversion per `<commission>`: id `commission-id`, original `original-action-id`, time
    /// `event-date` (`2026-08-14T07:27:35-0700`), campaign `sid`, creative `aid`, action `action-type`,
    /// value `sale-amount`, status `action-status`. A commission whose status is `corrected` or whose
    /// sale amount is negative is a correction. CJ's XML states no currency, so every row gets the
    /// source's configured `currency:`.
    ///
    /// - Parameter currency: The source's `currency:` (ISO 4217), or nil when the config gives none.
    public static func cjCommissions(currency: String?) -> XMLFeedReader {
        XMLFeedReader(
            checked: "/cj-api/commissions/commission", names: ["cj-api", "commissions", "commission"],
            fields: [
                .id: ["commission-id"], .originalID: ["original-action-id"], .time: ["event-date"],
                .campaign: ["sid"], .creative: ["aid"], .action: ["action-type"], .value: ["sale-amount"],
                .status: ["action-status"],
            ],
            countPerRecord: Money(1), correction: Correction(statuses: ["corrected"], negativeValue: true),
            currency: currency)
    }

    /// The `impact-xml` profile: impact.com's Mediapartners `Actions`
    /// (`<ImpactRadiusResponse><Actions><Action>…`).
    ///
    /// One conversion per `<Action>`: id `Id`, time `EventDate`, campaign `SubId1` (else `CampaignId`),
    /// campaign name `CampaignName`, creative `AdId`, action `ActionTrackerName`, value `Amount`, currency
    /// `Currency`, status `State`. A negative `Amount` is a correction. Paging attributes on `<Actions>`
    /// are ignored; an error response (`<Status>ERROR</Status>`) is an input error quoting its message.
    public static func impactActions() -> XMLFeedReader {
        XMLFeedReader(
            checked: "/ImpactRadiusResponse/Actions/Action", names: ["ImpactRadiusResponse", "Actions", "Action"],
            fields: [
                .id: ["Id"], .time: ["EventDate"], .campaign: ["SubId1", "CampaignId"],
                .campaignName: ["CampaignName"], .creative: ["AdId"], .action: ["ActionTrackerName"],
                .value: ["Amount"], .currency: ["Currency"], .status: ["State"],
            ],
            countPerRecord: Money(1), correction: Correction(negativeValue: true), currency: nil,
            failure: .impact)
    }
}
