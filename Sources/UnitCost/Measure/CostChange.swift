/// Why AI cost moved between two periods (SPEC §7): the change in cost split into token volume and
/// price per token, and price into model mix, cache-read share, tier/routing and rates.
///
/// The split is a chain of counterfactual costs, each computed from the previous period's cost per
/// token of finer and finer segments applied to this period's tokens:
///
/// - `K₀ = C₀ · T₁/T₀` — last period's average price on this period's tokens;
/// - `K_model = Σ_model C₀ₘ · T₁ₘ/T₀ₘ` — each model at its own last-period price;
/// - `K_cache = Σ_model,class C₀ · T₁/T₀` with class cache read / other token kinds;
/// - `K_tier = Σ_model,class,tier C₀ · T₁/T₀`;
/// - this period's actual token cost `C₁`.
///
/// Volume is `K₀ − C₀`, model mix `K_model − K₀`, cache-read share `K_cache − K_model`, tier/routing
/// `K_tier − K_cache`, the balance of kinds inside the other class (input, output, cache write)
/// `K_kind − K_tier` with `K_kind` priced per model × class × tier × kind, and rates (list prices,
/// discounts) `C₁ − K_kind`. A segment with no tokens last period is priced at this period's cost, so a new
/// model or tier shows up as mix, not as a rate. Lines without tokens (images, provisioned throughput,
/// credits, tax) change by their own difference. Every step is rounded half to even to 10⁻¹⁰ and the
/// steps telescope, so the parts add up to the change in cost exactly.
public struct CostChange: Sendable, Equatable {
    /// One part of the change, with its largest contributors (segment label and amount).
    public struct Part: Sendable, Equatable {
        public var amount: Money
        /// Segments by their contribution, largest magnitude first; `key` holds the segment's parts
        /// (model, cache class, tier, kind) and `label` joins them.
        public var contributors: [(label: String, amount: Money, key: [String])]

        public static func == (a: Part, b: Part) -> Bool {
            a.amount == b.amount && a.contributors.map(\.label) == b.contributors.map(\.label)
                && a.contributors.map(\.amount) == b.contributors.map(\.amount)
        }
    }

    public var previousCost: Money
    public var currentCost: Money
    public var previousTokens: Int64
    public var currentTokens: Int64
    public var volume: Part
    public var modelMix: Part
    public var cacheReadShare: Part
    public var tier: Part
    /// Input, output and cache-write tokens in other proportions inside a model × tier.
    public var kindBalance: Part
    public var rates: Part
    /// Change in cost of lines without tokens.
    public var nonToken: Money

    /// `currentCost − previousCost`.
    public var change: Money { currentCost - previousCost }
    /// `modelMix + cacheReadShare + tier + rates`: the change from price per token.
    public var price: Money { modelMix.amount + cacheReadShare.amount + tier.amount + kindBalance.amount + rates.amount }

    /// The split, from the model × kind × tier rows of the two periods and their total Bedrock cost;
    /// nil when the previous period had no tokens (there is no price to compare with).
    public init?(previous: [Summary.ModelRow], current: [Summary.ModelRow], previousCost: Money, currentCost: Money) {
        func tokenRows(_ rows: [Summary.ModelRow]) -> [Summary.ModelRow] { rows.filter { $0.kind != .other && $0.tokens > 0 } }
        let before = tokenRows(previous), now = tokenRows(current)
        let t0 = before.reduce(Int64(0)) { $0 + $1.tokens }, t1 = now.reduce(Int64(0)) { $0 + $1.tokens }
        guard t0 > 0 else { return nil }
        let c0 = before.reduce(Money.zero) { $0 + $1.cost }, c1 = now.reduce(Money.zero) { $0 + $1.cost }
        self.previousCost = previousCost
        self.currentCost = currentCost
        previousTokens = t0
        currentTokens = t1
        nonToken = (currentCost - c1) - (previousCost - c0)

        // Segment keys from coarse to fine; a key's parent is the key without its last part.
        func model(_ r: Summary.ModelRow) -> [String] { [r.model.isEmpty ? "(no model)" : r.model] }
        func cacheClass(_ r: Summary.ModelRow) -> [String] { model(r) + [r.kind == .cacheRead ? "cache read" : "other token kinds"] }
        func tierKey(_ r: Summary.ModelRow) -> [String] { cacheClass(r) + [r.tier ?? "on-demand"] }
        func full(_ r: Summary.ModelRow) -> [String] { tierKey(r) + [r.kind.label] }

        struct Segment { var c0 = Money.zero, t0: Int64 = 0, c1 = Money.zero, t1: Int64 = 0 }
        func segments(_ key: (Summary.ModelRow) -> [String]) -> [[String]: Segment] {
            var s: [[String]: Segment] = [:]
            for r in before {
                s[key(r), default: Segment()].c0 += r.cost
                s[key(r), default: Segment()].t0 += r.tokens
            }
            for r in now {
                s[key(r), default: Segment()].c1 += r.cost
                s[key(r), default: Segment()].t1 += r.tokens
            }
            return s
        }
        /// Last period's cost of the segment scaled to this period's tokens (this period's cost when new).
        func scaled(_ s: Segment) -> Money {
            guard s.t0 > 0 else { return s.c1 }
            return (s.c0 * s.t1).divided(by: Int128(s.t0)) ?? s.c1
        }
        let byModel = segments(model), byClass = segments(cacheClass), byTier = segments(tierKey), byFull = segments(full)
        let k0 = (c0 * t1).divided(by: Int128(t0)) ?? .zero
        let kModel = byModel.values.reduce(Money.zero) { $0 + scaled($1) }
        let kCache = byClass.values.reduce(Money.zero) { $0 + scaled($1) }
        let kTier = byTier.values.reduce(Money.zero) { $0 + scaled($1) }
        let kFull = byFull.values.reduce(Money.zero) { $0 + scaled($1) }

        func ranked(_ items: [([String], Money)]) -> [(label: String, amount: Money, key: [String])] {
            items.filter { !$0.1.isZero }.sorted { a, b in
                let ma = a.1 < .zero ? -a.1 : a.1, mb = b.1 < .zero ? -b.1 : b.1
                return ma != mb ? ma > mb : a.0.lexicographicallyPrecedes(b.0)
            }.map { (label: $0.0.joined(separator: ", "), amount: $0.1, key: $0.0) }
        }
        /// A segment's part of its parent's step: the change in its share of the parent's tokens times
        /// its price's distance from the parent's, `(t₁ − t₀·T₁/T₀)·(c₀/t₀ − C₀/T₀)`, written so the
        /// parts of one parent add up to the parent's step (a new segment: its cost against the average).
        func contribution(_ s: Segment, in p: Segment) -> Money {
            guard p.t0 > 0 else { return p.t1 > 0 ? s.c1 - ((p.c1 * s.t1).divided(by: Int128(p.t1)) ?? .zero) : .zero }
            let onAverage = scaled(s) - ((p.c0 * s.t1).divided(by: Int128(p.t0)) ?? .zero)
            let deviation = s.c0 - ((p.c0 * s.t0).divided(by: Int128(p.t0)) ?? .zero)
            return onAverage - ((deviation * p.t1).divided(by: Int128(p.t0)) ?? .zero)
        }
        func within(_ fine: [[String]: Segment], _ coarse: [[String]: Segment]) -> [([String], Money)] {
            fine.map { key, s in (key, contribution(s, in: coarse[Array(key.dropLast())] ?? Segment())) }
        }
        let total = Segment(c0: c0, t0: t0, c1: c1, t1: t1)
        // Volume per model: its change in tokens at last period's average price.
        volume = Part(amount: k0 - c0, contributors: ranked(byModel.map { ($0.key, (c0 * ($0.value.t1 - $0.value.t0)).divided(by: Int128(t0)) ?? .zero) }))
        modelMix = Part(amount: kModel - k0, contributors: ranked(byModel.map { ($0.key, contribution($0.value, in: total)) }))
        cacheReadShare = Part(amount: kCache - kModel, contributors: ranked(within(byClass, byModel)))
        tier = Part(amount: kTier - kCache, contributors: ranked(within(byTier, byClass)))
        kindBalance = Part(amount: kFull - kTier, contributors: ranked(within(byFull, byTier)))
        rates = Part(amount: c1 - kFull, contributors: ranked(byFull.map { ($0.key, $0.value.c1 - scaled($0.value)) }))
    }
}
