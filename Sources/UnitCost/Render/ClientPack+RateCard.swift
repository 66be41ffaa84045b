import Foundation

extension ClientPack {
    /// A client's rate card (`model,token_kind,tier,price_per_1m`): the price per 1M tokens of a model ×
    /// token kind × tier. An empty tier is the plain on-demand runtime; `*` matches any tier; models match
    /// without regard to case.
    public struct RateCard: Sendable {
        struct Key: Hashable {
            var model: String
            var kind: TokenKind
            var tier: String
        }

        var rates: [Key: Money] = [:]
        /// SHA-256 of the file's bytes.
        public var sha256 = ""

        /// Reads a rate card.
        public static func load(path: String, display: String) throws(UnitCostError) -> RateCard {
            var card = RateCard()
            guard let data = FileManager.default.contents(atPath: path) else { throw .input("rate card \(display): cannot read the file (does it exist?)") }
            card.sha256 = SHA256.hex(of: [UInt8](data))
            try ReferenceCSV.read(path: path, display: "rate card " + display, required: ["model", "token_kind", "tier", "price_per_1m"], optional: []) {
                (row) throws(UnitCostError) in
                let model = row["model"]!
                guard !model.isEmpty else { throw row.error("model", "is empty") }
                guard let kind = TokenKind(rawValue: row["token_kind"]!.lowercased().replacingSpaces()), kind != .other else {
                    throw row.error("token_kind", "\"\(row["token_kind"]!)\" is not one of input, output, cache_read, cache_write")
                }
                guard let price = Money(row["price_per_1m"]!), !price.isNegative else {
                    throw row.error("price_per_1m", "\"\(row["price_per_1m"]!)\" is not a price (a decimal, not negative)")
                }
                let key = Key(model: model.lowercased(), kind: kind, tier: row["tier"]!.lowercased())
                guard card.rates[key] == nil else { throw row.error("model", "repeats \(model) \(kind.rawValue) \(row["tier"]!.isEmpty ? "(no tier)" : row["tier"]!)") }
                card.rates[key] = price
            }
            return card
        }

        /// The price per 1M tokens; an exact tier row first, then `*`.
        public func rate(model: String, kind: TokenKind, tier: String?) -> Money? {
            let m = model.lowercased()
            return rates[Key(model: m, kind: kind, tier: (tier ?? "").lowercased())] ?? rates[Key(model: m, kind: kind, tier: "*")]
        }
    }
}

extension String {
    /// `cache read` → `cache_read`.
    fileprivate func replacingSpaces() -> String { String(map { $0 == " " ? "_" : $0 }) }
}
