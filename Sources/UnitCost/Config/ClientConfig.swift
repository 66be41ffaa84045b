import Yams

/// One client of the agency view (SPEC §3.4, §8), from `clients:` in the config.
///
/// ```yaml
/// clients:
///   acme:
///     campaigns: [spring-sale-26, summer-26]     # pieces of these campaigns without a client value
///     client: [ACME]                              # client dimension values that are this client (default: the name)
///     markup: 15%                                 # or rate_card:, one of the two
///     pass_through: [discounts, credits]          # non-usage line types billed on to the client
///     currency: EUR                               # billed amounts converted at the period's last-day rate
///   globex:
///     campaigns: [summer-26-retarget]
///     rate_card: {file: globex-rates.csv, other: cost + 20%}
/// ```
///
/// A campaign or client value claimed by two clients (after normalization and aliases) is an error.
/// A piece of cost belongs to a client when its `client` dimension is one of the client's values; a piece
/// with no `client` value belongs to the client whose `campaigns` list its campaign. The `client`
/// dimension, set by an attribution source, wins over a campaign list (docs/agency.md).
public struct ClientConfig: Sendable, Equatable {
    /// How billed amounts are priced.
    public enum Pricing: Sendable, Equatable {
        /// A percentage of the underlying cost (`15` for 15 %).
        case markup(percent: Money)
        /// A rate per 1M tokens by model × kind × tier from a CSV file; lines without tokens are priced
        /// at cost plus `otherPercent`, and are an error when that is nil.
        case rateCard(file: String, otherPercent: Money?)
    }

    /// Line item types other than usage that reach a client only when named.
    public enum PassThrough: String, CaseIterable, Sendable, Comparable {
        case discounts, credits, refunds, tax

        /// The group a line item type falls in, nil for usage and fees (always billed).
        public static func of(lineItemType type: String) -> PassThrough? {
            if LineItemType.isDiscount(type) { return .discounts }
            switch type {
            case "Credit": return .credits
            case "Refund": return .refunds
            case "Tax": return .tax
            default: return nil
            }
        }

        public static func < (a: PassThrough, b: PassThrough) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    /// The client's name, as written under `clients:`.
    public var name: String
    /// `client` dimension values that mean this client (as written; normalized like every value).
    public var clientValues: [String]
    /// Campaigns whose pieces without a client value are this client's.
    public var campaigns: [String]
    /// How billed amounts are priced.
    public var pricing: Pricing
    /// The non-usage line types billed on to the client.
    public var passThrough: Set<PassThrough>
    /// The currency billed amounts are shown in, when not the report currency.
    public var currency: String?

    static let keys = ["campaigns", "client", "markup", "rate_card", "pass_through", "currency"]

    /// Reads `clients:`, a mapping of client name to its settings.
    static func readAll(_ node: Node, _ reader: ConfigReader) throws(UnitCostError) -> [ClientConfig] {
        // Two clients claiming one campaign or client value is found when the values are normalized
        // (aliases, case_sensitive) at measure time, not here.
        var out: [ClientConfig] = []
        for (nameNode, value) in try reader.mapping(node, "clients") {
            let name = try reader.key(nameNode)
            guard !name.trimmingSpaces.isEmpty else { throw reader.error(nameNode, "a client needs a name") }
            out.append(try read(name, value, reader))
        }
        return out
    }

    static func read(_ name: String, _ node: Node, _ reader: ConfigReader) throws(UnitCostError) -> ClientConfig {
        var client = ClientConfig(name: name, clientValues: [name], campaigns: [], pricing: .markup(percent: .zero), passThrough: [], currency: nil)
        var pricing: Pricing?
        for (k, v) in try reader.mapping(node, "clients.\(name)") {
            let key = try reader.key(k)
            switch key {
            case "campaigns": client.campaigns = try reader.strings(v, "campaigns")
            case "client": client.clientValues = try reader.strings(v, "client")
            case "markup":
                guard pricing == nil else { throw reader.error(k, "clients.\(name) has both markup and rate_card; give one") }
                pricing = .markup(percent: try percentage(v, "markup", reader))
            case "rate_card":
                guard pricing == nil else { throw reader.error(k, "clients.\(name) has both markup and rate_card; give one") }
                if case .mapping = v {
                    var file: String?
                    var other: Money?
                    for (rk, rv) in try reader.mapping(v, "rate_card") {
                        switch try reader.key(rk) {
                        case "file": file = try reader.string(rv, "file")
                        case "other": other = try percentage(rv, "other", reader)
                        default: throw reader.unknown(rk, try reader.key(rk), valid: ["file", "other"], planned: [])
                        }
                    }
                    guard let file else { throw reader.error(v, "clients.\(name).rate_card needs file: (a CSV of model,token_kind,tier,price_per_1m)") }
                    pricing = .rateCard(file: file, otherPercent: other)
                } else {
                    pricing = .rateCard(file: try reader.string(v, "rate_card"), otherPercent: nil)
                }
            case "pass_through":
                for item in try reader.strings(v, "pass_through") {
                    guard let p = PassThrough(rawValue: item) else {
                        throw reader.error(v, "pass_through \"\(item)\" is not one of \(PassThrough.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    client.passThrough.insert(p)
                }
            case "currency":
                let code = try reader.string(v, "currency")
                guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                    throw reader.error(v, "currency \"\(code)\" is not an ISO 4217 code such as EUR")
                }
                client.currency = code
            default:
                throw reader.unknown(k, key, valid: keys, planned: [])
            }
        }
        guard let pricing else {
            throw reader.error(node, "clients.\(name) needs markup: (a percentage such as 15%, 0% to bill at cost) or rate_card:")
        }
        client.pricing = pricing
        return client
    }

    /// `15%`, `15 %`, `cost + 15%` or a bare `15`; 0 or more, at most 8 fractional digits.
    static func percentage(_ node: Node, _ key: String, _ reader: ConfigReader) throws(UnitCostError) -> Money {
        var text = try reader.string(node, key).trimmingSpaces
        if text.hasPrefix("cost") {
            text = String(text.dropFirst(4)).trimmingSpaces
            guard text.hasPrefix("+") else { throw reader.error(node, "\(key) \"\(text)\" must read cost + N%") }
            text = String(text.dropFirst()).trimmingSpaces
        }
        if text.hasSuffix("%") { text = String(text.dropLast()).trimmingSpaces }
        guard let value = Money(text), !value.isNegative, value.units % 100 == 0 else {
            throw reader.error(node, "\(key) \"\(try reader.string(node, key))\" is not a percentage such as 15% (at most 8 decimals, not negative)")
        }
        return value
    }
}
