import Foundation
import Testing

@testable import UnitCost

/// Line shapes (`LineShape`): the reader gives two lines one shape only when they are alike in every
/// field the ledger keys and attributes by, and the ledger, which remembers what a shape added to,
/// sums exactly what it sums line by line without them.
@Suite struct LineShapeTests {
    /// Collects what a reader hands over.
    struct Lines: BillingSink {
        var lines: [CostLine] = []
        mutating func accept(_ line: CostLine) throws(UnitCostError) { lines.append(line) }
        mutating func noteDailyUsage(account: String, day: Day, cost: Money) {}
    }

    /// A ledger fed every line without its shape.
    struct Unshaped: BillingSink {
        var ledger: Ledger
        mutating func accept(_ line: CostLine) throws(UnitCostError) {
            var line = line
            line.shape = nil
            try ledger.accept(line)
        }
        mutating func noteDailyUsage(account: String, day: Day, cost: Money) { ledger.noteDailyUsage(account: account, day: day, cost: cost) }
    }

    /// Knows the shapes of the whole lines it was given, and takes a later line of one of them by its
    /// shape alone, as the ledger does.
    struct ByShape: BillingSink {
        struct Piece: Hashable {
            var shape: LineShape, day: Day, cost: Money, tokens: Int64, billingPeriod: Day, lineItemType: String
        }
        var lines: [CostLine] = []
        var known: Set<LineShape> = []
        var pieces: [Piece] = []
        mutating func accept(_ line: CostLine) throws(UnitCostError) {
            lines.append(line)
            if let shape = line.shape { known.insert(shape) }
        }
        mutating func accept(shape: LineShape, day: Day, cost: Money, tokens: Int64, billingPeriod: Day, lineItemType: String) -> Bool {
            guard known.contains(shape) else { return false }
            pieces.append(Piece(shape: shape, day: day, cost: cost, tokens: tokens, billingPeriod: billingPeriod, lineItemType: lineItemType))
            return true
        }
        mutating func noteDailyUsage(account: String, day: Day, cost: Money) {}
    }

    /// A CUR 2.0 export of `rows` rows, each field drawn from a few values, so that lines repeat each
    /// other's fields and often differ in one field only.
    static func curCSV(rows: Int, seed: UInt64) -> String {
        var random = SplitMix(seed: seed)
        // The first value mostly, another one now and then: lines repeat whole, or differ in a field or two.
        func pick<T>(_ values: [T]) -> T { random.next() % 4 == 0 ? values[Int(random.next() % UInt64(values.count))] : values[0] }
        var out = "bill_payer_account_id,bill_billing_entity,bill_billing_period_start_date,bill_invoice_id,line_item_usage_account_id,"
            + "line_item_line_item_type,line_item_usage_start_date,line_item_usage_end_date,line_item_product_code,line_item_usage_type,"
            + "line_item_iam_principal,line_item_usage_amount,pricing_unit,line_item_unblended_cost,line_item_net_unblended_cost,"
            + "line_item_currency_code,product,resource_tags,tags,line_item_resource_id\n"
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        for _ in 0..<rows {
            let may = random.next() % 4 == 0
            let day = 1 + Int(random.next() % 28)
            let start = String(format: "2026-%02d-%02dT%02d:00:00.000Z", may ? 5 : 6, day, Int(random.next() % 2) * 12)
            let end = String(format: "2026-%02d-%02dT%02d:00:00.000Z", may ? 5 : 6, day, 13)
            let fields: [String] = [
                pick(["111122223333", "999988887777"]), pick(["AWS", "AWS Marketplace"]), may ? "2026-05-01T00:00:00.000Z" : "2026-06-01T00:00:00.000Z",
                pick(["", "INV-1", "INV-2"]), pick(["444455556666", "777788889999", ""]),
                pick(["Usage", "Usage", "Credit", "Tax", "SavingsPlanCoveredUsage"]), start, end, pick(["AmazonBedrock", "AmazonBedrockService"]),
                pick(["USE1-Claude4.6Sonnet-input-tokens", "USE1-Claude4.6Sonnet-output-tokens", "USW2-Nova2Lite-input-tokens", "USE1-Unheard-of-thing"]),
                pick([
                    "", "arn:aws:sts::444455556666:assumed-role/creative-gen/alice@example.com",
                    "arn:aws:sts::444455556666:assumed-role/creative-gen/bob@example.com", "arn:aws:iam::777788889999:user/batch",
                ]),
                String(1 + random.next() % 5_000), pick(["1K tokens", "1M tokens", "tokens by the bucket"]),
                "\(random.next() % 100).\(random.next() % 1_000)", pick(["", "\(random.next() % 10).5"]), "USD",
                quoted(#"{"product_name":"Amazon Bedrock"}"#),
                quoted(pick(["{}", #"{"user_campaign":"fall-26"}"#, #"{"user_campaign":"spring-sale-26"}"#])),
                quoted(pick([
                    "{}", #"{"iamPrincipal/campaign":"spring-sale-26"}"#, #"{"iamPrincipal/campaign":"fall-26","iamPrincipal/cost-center":"cc-1"}"#,
                ])),
                pick(["", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6", "arn:aws:bedrock:us-east-1:444455556666:inference-profile/x"]),
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A fixture's path, or for "generated" a 3,000-row export written by `curCSV` from `seed`.
    static func path(_ input: String, seed: UInt64) throws -> String {
        guard input == "generated" else { return TestPaths.fixture(input) }
        return try TestPaths.write(curCSV(rows: 3_000, seed: seed), to: TestPaths.temporaryFolder() + "/cur.csv")
    }

    static func read(_ path: String, into sink: inout some BillingSink) throws {
        let reader = BillingReader(path: path, displayPath: "billing", period: try Period(parsing: "2026-06"), basis: .netUnblended, currency: "USD")
        _ = try reader.read(into: &sink)
    }

    /// Everything of a line but its interval, amounts and row: what its shape stands for.
    static func fields(_ l: CostLine) -> String {
        "\(l.payer)|\(l.account)|\(l.billingPeriod)|\(String(describing: l.invoiceID))|\(l.currency)|\(l.lineItemType)|\(l.productCode)|"
            + "\(l.billingEntity)|\(l.family)|\(l.usage)|\(String(describing: l.principal))|\(String(describing: l.resourceID))|"
            + "\(l.tags.sorted { $0.key < $1.key })|\(l.resourceTags.sorted { $0.key < $1.key })"
    }

    /// Lines of one shape are alike, field for field; shapes repeat (a shape that never did would
    /// prove nothing).
    @Test(arguments: ["generated", "parquet/demo.spark-v1.parquet", "parquet/demo.arrow-plain.parquet", "parquet/demo.spark-v2-delta.parquet", "cur2/hand-computed.csv", "focus/bedrock.csv"])
    func linesOfOneShapeAreAlike(_ input: String) throws {
        let path = try Self.path(input, seed: 11)
        var sink = Lines()
        try Self.read(path, into: &sink)
        #expect(!sink.lines.isEmpty)
        var byShape: [LineShape: String] = [:]
        for line in sink.lines {
            // A FOCUS Marketplace line without a product code has none (its product name stands in).
            guard let shape = line.shape else {
                #expect(input == "focus/bedrock.csv", "line \(line.line) has a shape")
                continue
            }
            let fields = Self.fields(line)
            if let seen = byShape[shape] {
                #expect(seen == fields, "line \(line.line) shares a shape with a line of other fields")
            } else {
                byShape[shape] = fields
            }
        }
        if input == "generated" || input.hasPrefix("parquet/demo") {
            #expect(byShape.count * 3 / 2 < sink.lines.count, "shapes repeat")
        }
        // Every distinct set of fields has its own shape at least: as many shapes as field sets or more.
        #expect(byShape.count >= Set(sink.lines.filter { $0.shape != nil }.map(Self.fields)).count)
    }

    /// Legacy CUR's tag columns are read one by one, not through a cache: those lines have no shape.
    @Test func legacyLinesHaveNone() throws {
        var sink = Lines()
        try Self.read(TestPaths.fixture("legacy/bedrock.csv"), into: &sink)
        #expect(!sink.lines.isEmpty && sink.lines.allSatisfy { $0.shape == nil })
    }

    /// A ledger reading lines with their shapes sums, attributes and names exactly as one reading the
    /// same lines without them.
    @Test(arguments: ["generated", "parquet/demo.spark-v1.parquet", "parquet/demo.spark-v2.parquet"])
    func theLedgerSumsAlikeWithShapesOrWithout(_ input: String) throws {
        let path = try Self.path(input, seed: 12)
        let period = try Period(parsing: "2026-06")
        let empty = Ledger(period: period, attributor: Attributor(tags: BillingPartsTests.tags), showSessionNames: false)
        var shaped = empty
        try Self.read(path, into: &shaped)
        try shaped.finish()
        var unshaped = Unshaped(ledger: empty)
        try Self.read(path, into: &unshaped)
        try unshaped.ledger.finish()
        let a = Dictionary(uniqueKeysWithValues: shaped.entries.map { ($0.key, $0.value) })
        let b = Dictionary(uniqueKeysWithValues: unshaped.ledger.entries.map { ($0.key, $0.value) })
        #expect(a.count > 10 && a == b)
        #expect(shaped.conflicts == unshaped.ledger.conflicts && shaped.sourceCost == unshaped.ledger.sourceCost)
        #expect(shaped.displayNames == unshaped.ledger.displayNames && shaped.inputCost == unshaped.ledger.inputCost)
        #expect(shaped.billingPeriodCost == unshaped.ledger.billingPeriodCost && shaped.firstDay == unshaped.ledger.firstDay)
    }

    /// The shape table finds every shape given a value, through many doublings, and no other; emptied,
    /// it finds none.
    @Test func theShapeTableFindsWhatWasPut() {
        var random = SplitMix(seed: 5)
        var table = ShapeTable<Int>()
        var reference: [LineShape: Int] = [:]
        var others: [LineShape] = []
        for n in 0..<20_000 {
            var shape = LineShape(origin: Int(random.next() % 3), cells: Int(random.next() % 2))
            shape.set(.account, number: Int(random.next() % 50))
            shape.set(.tags, number: Int(random.next() % 400))
            shape[.flags] = UInt32(random.next() % 2)
            if reference[shape] == nil {
                if n % 5 == 0 {
                    others.append(shape)
                } else {
                    table.insert(shape, default: n)
                    reference[shape] = n
                }
            }
        }
        #expect(table.count == reference.count && reference.count > 10_000)
        for (shape, n) in reference { #expect(table[shape] == n) }
        for shape in others where reference[shape] == nil { #expect(table[shape] == nil) }
        table.removeAll()
        #expect(table.count == 0 && reference.keys.allSatisfy { table[$0] == nil })
    }

    /// The ledger trusts a shape: a line with one it has seen adds to what that shape added to, without
    /// attributing the line again (here a line whose tags would name another campaign).
    @Test func theLedgerAddsALineOfAKnownShapeWhereTheShapeWent() throws {
        let path = try TestPaths.write(Self.curCSV(rows: 200, seed: 13), to: TestPaths.temporaryFolder() + "/cur.csv")
        var sink = Lines()
        try Self.read(path, into: &sink)
        let first = try #require(sink.lines.first { $0.tags["iamPrincipal/campaign"] == "spring-sale-26" && $0.isMultiDay == false })
        var second = first
        second.tags = ["iamPrincipal/campaign": "not-this-one"]
        second.cost = Money("1")!
        var ledger = Ledger(period: try Period(parsing: "2026-06"), attributor: Attributor(tags: BillingPartsTests.tags), showSessionNames: false)
        try ledger.accept(first)
        try ledger.accept(second)
        let entries = Array(ledger.entries)
        #expect(entries.count == 1)
        #expect(entries.first?.key.dimensions[.campaign] == "spring-sale-26")
        #expect(entries.first?.value.lines == 2)
        // Without the shape, the line is attributed on its own.
        second.shape = nil
        try ledger.accept(second)
        #expect(ledger.entries.contains { $0.key.dimensions[.campaign] == "not-this-one" })
    }

    /// A line of a new shape whose account, caller and tag maps a seen shape had takes that shape's
    /// attribution (`LineShape.attributionPart`) — here a line of another usage type whose tags would
    /// name another campaign —; a line whose part differs is attributed on its own.
    @Test func aNewShapeWithAKnownAttributionPartIsNotAttributedAgain() throws {
        let path = try TestPaths.write(Self.curCSV(rows: 200, seed: 13), to: TestPaths.temporaryFolder() + "/cur.csv")
        var sink = Lines()
        try Self.read(path, into: &sink)
        let first = try #require(sink.lines.first { $0.tags["iamPrincipal/campaign"] == "spring-sale-26" && $0.isMultiDay == false })
        let shape = try #require(first.shape)
        var second = first
        second.usage = UsageType("USE1-Nova2Pro-output-tokens", productName: nil)
        second.tags = ["iamPrincipal/campaign": "not-this-one"]
        second.shape?[.usageType] = shape[.usageType] + 1000
        #expect(second.shape?.attributionPart == shape.attributionPart && second.shape != shape)
        var ledger = Ledger(period: try Period(parsing: "2026-06"), attributor: Attributor(tags: BillingPartsTests.tags), showSessionNames: false)
        try ledger.accept(first)
        try ledger.accept(second)
        #expect(ledger.entries.count == 2)
        #expect(ledger.entries.allSatisfy { $0.key.dimensions[.campaign] == "spring-sale-26" })
        // Another tag map number: attributed on its own.
        var third = second
        third.shape?[.tags] = shape[.tags] + 1000
        try ledger.accept(third)
        #expect(ledger.entries.contains { $0.key.dimensions[.campaign] == "not-this-one" })
    }

    /// The reader hands a line of at most a day over by its shape when the sink knows the shape, and
    /// builds it whole otherwise: what a sink that knows no shape gets whole, line for line.
    @Test(arguments: ["generated", "parquet/demo.spark-v1.parquet"])
    func theReaderHandsALineOfAKnownShapeOverByItsShape(_ input: String) throws {
        let path = try Self.path(input, seed: 14)
        var whole = Lines()
        try Self.read(path, into: &whole)
        var byShape = ByShape()
        try Self.read(path, into: &byShape)
        #expect(!byShape.pieces.isEmpty && byShape.lines.count + byShape.pieces.count == whole.lines.count)
        #expect(byShape.lines.allSatisfy { line in line.isMultiDay || line.shape.map { byShape.known.contains($0) } ?? true })
        // The lines taken by shape are the lines the other sink got whole (none multi-day), in order;
        // shapes are not compared (each read numbers its own).
        let taken = whole.lines.filter { line in !byShape.lines.contains { $0.line == line.line } }
        #expect(taken.allSatisfy { !$0.isMultiDay && $0.shape != nil })
        #expect(taken.map { "\($0.day) \($0.cost) \($0.tokens) \($0.billingPeriod) \($0.lineItemType)" }
            == byShape.pieces.map { "\($0.day) \($0.cost) \($0.tokens) \($0.billingPeriod) \($0.lineItemType)" })
        // And a line taken by shape has the fields of the first line of that shape given whole.
        for (line, piece) in zip(taken, byShape.pieces) {
            let first = try #require(byShape.lines.first { $0.shape == piece.shape })
            #expect(Self.fields(first) == Self.fields(line))
        }
    }

    /// The ledger takes a line by its shape only when it has added a line of that shape, and adds it
    /// where that line went, to the line totals too.
    @Test func theLedgerTakesALineByAShapeItHasAddedOnly() throws {
        let path = try TestPaths.write(Self.curCSV(rows: 200, seed: 13), to: TestPaths.temporaryFolder() + "/cur.csv")
        var sink = Lines()
        try Self.read(path, into: &sink)
        let period = try Period(parsing: "2026-06")
        let first = try #require(sink.lines.first { !$0.isMultiDay && $0.shape != nil && period.contains($0.day) })
        let shape = try #require(first.shape)
        var ledger = Ledger(period: period, attributor: Attributor(tags: BillingPartsTests.tags), showSessionNames: false)
        func byShape() -> Bool {
            ledger.accept(shape: shape, day: first.day, cost: Money("1.5")!, tokens: 7, billingPeriod: first.billingPeriod, lineItemType: first.lineItemType)
        }
        #expect(!byShape() && ledger.entries.isEmpty && ledger.inputCost.isEmpty)
        try ledger.accept(first)
        #expect(byShape())
        let entries = Array(ledger.entries)
        #expect(entries.count == 1)
        #expect(entries.first?.value == Ledger.Amount(cost: first.cost + Money("1.5")!, tokens: first.tokens + 7, lines: 2))
        #expect(ledger.inputCost[first.lineItemType] == first.cost + Money("1.5")!)
    }
}
