import Foundation
import Testing

@testable import UnitCost

/// CUR 2.0 as Parquet through the whole run: the same data as CSV and as Parquet, in every writer
/// shape, give the same `summary.json` — every figure, row accounting included; only each input's path
/// and checksum differ.
@Suite struct ParquetBillingTests {
    static let shapes = ["spark-v1", "spark-v2", "spark-v2-delta", "arrow-gzip", "arrow-plain"]

    /// `summary.json` of `config` (in `folder`) with its billing replaced by `billing`, as a JSON object.
    static func summary(folder: String, config: String, csvName: String, billing: String?, period: String) throws -> [String: Any] {
        let temp = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: temp) }
        for entry in try FileManager.default.contentsOfDirectory(atPath: folder) where entry != config {
            try FileManager.default.createSymbolicLink(atPath: temp + "/" + entry, withDestinationPath: folder + "/" + entry)
        }
        var text = try #require(TestPaths.read(folder + "/" + config))
        if let billing {
            try FileManager.default.createSymbolicLink(atPath: temp + "/billing.parquet", withDestinationPath: billing)
            text = text.replacingOccurrences(of: "billing: [\(csvName)]", with: "billing: [billing.parquet]")
            #expect(text.contains("billing: [billing.parquet]"))
        }
        try TestPaths.write(text, to: temp + "/" + config)
        let loaded = try Config.load(path: temp + "/" + config)
        let s = try Pipeline.measure(config: loaded, period: try Period(parsing: period), basis: loaded.costBasis)
        return try figures(s)
    }

    /// `summary.json` as an object without what names the files (each billing input's path and
    /// checksum, the config's checksum): what must not differ between CSV and Parquet.
    static func figures(_ s: Summary) throws -> [String: Any] {
        var json = try #require(try JSONSerialization.jsonObject(with: Data(SummaryJSON.document(s).serialized().utf8)) as? [String: Any])
        var inputs = try #require(json["inputs"] as? [[String: Any]])
        for i in inputs.indices where ["cur2", "focus"].contains(inputs[i]["family"] as? String) {
            inputs[i]["path"] = "billing"
            inputs[i]["sha256"] = "-"
        }
        json["inputs"] = inputs
        json["config_sha256"] = "-"
        return json
    }

    /// Every top-level field of two summary.json objects is equal (per field, so a failure names it).
    static func expectSameFigures(_ csv: [String: Any], _ parquet: [String: Any], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(csv.keys) == Set(parquet.keys), "\(label): different fields", sourceLocation: sourceLocation)
        for key in csv.keys.sorted() {
            let a = NSDictionary(dictionary: [key: csv[key] ?? NSNull()]), b = NSDictionary(dictionary: [key: parquet[key] ?? NSNull()])
            #expect(a.isEqual(to: b as! [AnyHashable: Any]), "\(label): \(key) differs", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: shapes) func handComputedFixtureGivesTheCSVFigures(_ shape: String) throws {
        let folder = TestPaths.fixture("cur2")
        let csv = try Self.summary(folder: folder, config: "hand-computed.yaml", csvName: "hand-computed.csv", billing: nil, period: "2026-W25")
        let parquet = try Self.summary(
            folder: folder, config: "hand-computed.yaml", csvName: "hand-computed.csv",
            billing: TestPaths.fixture("parquet/hand-computed.\(shape).parquet"), period: "2026-W25")
        Self.expectSameFigures(csv, parquet, "\(shape)")
        #expect((parquet["totals"] as? [String: Any])?["bedrock_cost"] as? String == "7.51475")
    }

    @Test(arguments: shapes) func demoGivesTheCSVFigures(_ shape: String) throws {
        let csv = try Self.summary(folder: TestPaths.demo, config: "unitcost.yaml", csvName: "cur-2026-06.csv", billing: nil, period: "2026-W25")
        let parquet = try Self.summary(
            folder: TestPaths.demo, config: "unitcost.yaml", csvName: "cur-2026-06.csv",
            billing: TestPaths.fixture("parquet/demo.\(shape).parquet"), period: "2026-W25")
        Self.expectSameFigures(csv, parquet, "\(shape)")
        #expect((parquet["totals"] as? [String: Any])?["bedrock_cost"] as? String == "103.6437503564")
    }

    static func read(_ fixture: String) throws -> BillingInput {
        let period = try Period(parsing: "2026-06")
        let reader = BillingReader(path: TestPaths.fixture("parquet/" + fixture), displayPath: fixture, period: period, basis: .netUnblended, currency: "USD")
        var ledger = Ledger(period: period, attributor: Attributor(order: [:], tags: [], sessionPatterns: [], principals: nil, accounts: nil), showSessionNames: false)
        return try reader.read(into: &ledger)
    }

    @Test func legacyCURParquetIsRefusedByName() {
        // The Athena flavour of legacy CUR flattens tags into resource_tags_… columns; read as CUR 2.0
        // its campaigns would silently vanish.
        #expect(
            throws: UnitCostError.input(
                "billing refuse.legacy-athena.parquet: this is legacy CUR in Parquet (Athena integration: resource_tags_… columns, no tags map), which is not read; "
                    + "export CUR 2.0 (Parquet or CSV) or legacy CUR as CSV")
        ) { _ = try Self.read("refuse.legacy-athena.parquet") }
    }

    @Test func parquetThatIsNotBillingIsRefused() {
        #expect(
            throws: UnitCostError.input(
                "billing types.arrow-delta.parquet: the header is not CUR 2.0, legacy CUR or FOCUS (no line_item_usage_type, lineItem/UsageType or BilledCost column)")
        ) { _ = try Self.read("types.arrow-delta.parquet") }
    }

    @Test func rowAccountingAndFamilyAreThoseOfTheCSV() throws {
        let input = try Self.read("hand-computed.spark-v1.parquet")
        #expect(input.family == .cur2)
        #expect(input.accounting.used + input.accounting.outOfScope.values.reduce(0, +) + input.accounting.rejectedCount == 12)
        #expect(input.sha256.count == 64)
    }

    @Test(arguments: [CostBasis.netUnblended, .amortized, .list]) func focusParquetGivesTheCSVFiguresUnderEachBasis(_ basis: CostBasis) throws {
        func summary(_ fixture: String) throws -> [String: Any] {
            let folder = try TestPaths.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try TestPaths.write(
                "billing: [\(TestPaths.fixture(fixture))]\nattribution:\n  tags:\n    - {key: resourceTags/campaign, dimension: campaign}\n",
                to: folder + "/unitcost.yaml")
            let config = try Config.load(path: folder + "/unitcost.yaml")
            let s = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: basis)
            return try Self.figures(s)
        }
        let csv = try summary("focus/bedrock.csv"), parquet = try summary("parquet/focus.arrow-snappy.parquet")
        Self.expectSameFigures(csv, parquet, "\(basis)")
        #expect(((parquet["inputs"] as? [[String: Any]])?.first?["family"] as? String) == "focus")
    }

    @Test func inspectDescribesTheWriterAndGivesTheCSVFigures() throws {
        let parquet = try BillingInspector.inspect(path: TestPaths.fixture("parquet/demo.spark-v2.parquet"), display: "demo.parquet")
        let csv = try BillingInspector.inspect(path: TestPaths.demo + "/cur-2026-06.csv", display: "demo.csv")
        #expect(parquet.parquet?.writer?.hasPrefix("parquet-mr version") == true)
        #expect(parquet.parquet?.rowGroups == 1)
        #expect(parquet.parquet?.codecs == ["SNAPPY"])
        #expect(parquet.parquet?.encodings.contains("RLE_DICTIONARY") == true)
        #expect(csv.parquet == nil)
        let a = InspectionText.render(parquet).split(separator: "\n").dropFirst(2)
        let b = InspectionText.render(csv).split(separator: "\n").dropFirst(1)
        #expect(Array(a) == Array(b))
    }
}
