/// Conversions after SPEC §3.3's rules (actions, statuses, duplicates, corrections, dates, currencies),
/// aggregated by source × reporting day × campaign × creative × audience, in the report currency.
public struct ConversionFacts: Sendable {
    /// One aggregation key; dimension values are matching keys (see `AliasTable`).
    public struct Key: Hashable, Sendable {
        public var source: String
        public var day: Day
        public var campaign: String?
        public var creative: String?
        public var audience: String?
    }

    /// What a key accumulated.
    public struct Amount: Sendable, Equatable {
        public var approved = Money.zero
        public var pending = Money.zero
        public var value = Money.zero
        public var spend = Money.zero
        /// Whether any record carried media spend.
        public var hasSpend = false
        /// Conversions counted (approved and pending).
        public var conversions: Money { approved + pending }
    }

    /// What one source read and how ripe its data is.
    public struct Source: Sendable {
        public var name: String
        public var profile: String
        public var dateBasis: ConversionSource.DateBasis
        public var maturityDays: Int
        /// Files read, with their accounting.
        public var files: [(path: String, sha256: String, accounting: RowAccounting)] = []
        /// The export date: a file's own (a preamble's), else the latest record date.
        public var exportDate: Day?
        /// First and last reporting day of counted records.
        public var firstDay: Day?
        public var lastDay: Day?
        /// Corrections whose original is not in the inputs (dated by themselves, flagged).
        public var orphanCorrections = 0

        /// A period is immature when it ends within `maturityDays` of the export date.
        public func isImmature(_ period: Period) -> Bool {
            guard maturityDays > 0, let exported = exportDate else { return false }
            return exported.ordinal - period.end.adding(days: -1).ordinal < maturityDays
        }

        /// Whether the source holds records in or before a period: then it covers it. (A sparse feed may
        /// have no record on the period's first day; requiring one would hide most comparisons.)
        public func covers(_ period: Period) -> Bool { firstDay.map { $0 < period.end } ?? false }
    }

    public var entries: [Key: Amount] = [:]
    public var sources: [Source] = []
    /// Display value of each matching key (the alias's canonical form, else the first raw value seen).
    public var displayNames: [Dimension: [String: String]] = [:]
    /// The platforms' names for ids (campaign names, ad set names), when exports carry them.
    public var platformNames: [Dimension: [String: String]] = [:]
    /// FX rates used: currency, day, rate.
    public var fxUsed: Set<FXUse> = []

    /// One FX rate as used.
    public struct FXUse: Hashable, Sendable {
        public var day: Day
        public var currency: String
        public var rate: Money
    }

    /// No conversions.
    public init() {}
}
