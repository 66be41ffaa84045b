/// What a `report` run is asked to do.
public struct ReportRequest: Sendable {
    /// Output formats (`--format`).
    public enum Format: String, CaseIterable, Sendable {
        case md, html, csv, json
    }

    /// The reports a run can write (`--only`).
    public enum Report: String, CaseIterable, Sendable {
        /// `media/report.md`, `media/report.html`.
        case media
        /// `finance/…`: the monthly chargeback statement; written only when asked for (a calendar month).
        case finance
        /// `clients/<slug>/…`, one transparency pack per configured client.
        case agency
    }

    /// The config file.
    public var configPath: String
    /// The period to report.
    public var period: Period
    /// The folder the reports are written to (the period's own folder, e.g. `Reports/2026-W25`).
    public var destination: String
    /// Overrides the config's cost basis (`--cost-basis`).
    public var costBasis: CostBasis?
    /// Which files to write.
    public var formats: Set<Format> = Set(Format.allCases)
    /// Which reports to write; nil writes the media report, and the agency packs when the config has
    /// `clients:` (the monthly finance statement only when `--only` names it).
    public var reports: Set<Report>?
    /// Overrides where templates are read from.
    public var templatesDirectory: String?
    /// List campaigns with conversions and no AI cost one by one (`--all-campaigns`).
    public var allCampaigns = false
    /// Resolve two refreshes or two families of one payer and period by keeping the newest (`--latest-refresh`).
    public var latestRefresh = false
    /// Leave rejected rows out of the figures, list them in `rejects.csv` and write the reports
    /// (`--keep-going`, SPEC §10); without it the first rejects fail the run before anything is written.
    public var keepGoing = false
    /// An older run's `summary.json` to write `finance/adjustments.csv` against (`--against`).
    public var against: String?

    /// Creates a request.
    public init(configPath: String, period: Period, destination: String) {
        self.configPath = configPath
        self.period = period
        self.destination = destination
    }
}

/// What a run wrote.
public struct ReportResult: Sendable {
    /// The folder the reports are in.
    public var destination: String
    /// Every file written, as paths.
    public var files: [String]
    /// The figures.
    public var summary: Summary
}
