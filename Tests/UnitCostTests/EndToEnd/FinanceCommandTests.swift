import Foundation
import Testing
import UnitCost

/// `unitcost report --only finance` on a copy of Tests/Fixtures/finance, as a finance user runs it.
@Suite struct FinanceCommandTests {
    /// A temporary copy of the fixture folder, with the CUR text changed by `edit`.
    static func fixture(edit: (String) -> String = { $0 }, yaml: (String) -> String = { $0 }) throws -> String {
        let folder = try TestPaths.temporaryFolder()
        let csv = try #require(TestPaths.read(TestPaths.fixture("finance/allocation.csv")))
        try TestPaths.write(edit(csv), to: folder + "/allocation.csv")
        try TestPaths.write(yaml(try #require(TestPaths.read(TestPaths.fixture("finance/allocation.yaml")))), to: folder + "/allocation.yaml")
        try TestPaths.write(try #require(TestPaths.read(TestPaths.fixture("finance/invoices.csv"))), to: folder + "/invoices.csv")
        return folder
    }

    static func report(_ folder: String, _ extra: [String] = []) throws -> CommandLineTests.Run {
        try CommandLineTests.run(
            ["report", "--config", folder + "/allocation.yaml", "--period", "2026-06", "--only", "finance", "--out", folder + "/Reports", "--templates", TestPaths.templates]
                + extra)
    }

    /// CSV rows as arrays of cells (the fixtures' cells hold no quotes or commas unless stated).
    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { line in
            var cells: [String] = [], cell = "", quoted = false
            for c in line {
                if c == "\"" { quoted.toggle() } else if c == "," && !quoted { cells.append(cell); cell = "" } else { cell.append(c) }
            }
            cells.append(cell)
            return cells
        }
    }

    @Test func writesTheStatementAndABalancedJournal() throws {
        let folder = try Self.fixture()
        let run = try Self.report(folder)
        #expect(run.status == 0, "\(run.stderr)")
        let out = folder + "/Reports/2026-06/finance/"
        let chargeback = try #require(TestPaths.read(out + "chargeback.csv"))
        #expect(
            chargeback == """
                period,status,cost_center,direct,allocated,total,total_exact,currency
                2026-06,final,CC-100,6.00,1.45,7.45,7.4514705882,USD
                2026-06,final,CC-200,3.00,0.86,3.86,3.8632352941,USD
                2026-06,final,CC-300,1.00,0.34,1.34,1.3352941177,USD
                2026-06,final,(unallocated),,,-0.10,-0.1,USD

                """)
        let journal = Self.rows(try #require(TestPaths.read(out + "journal.csv")))
        #expect(journal[0] == ["date", "period", "entity", "account", "cost_center", "debit", "credit", "currency", "memo", "invoice_id", "run_id"])
        let lines = journal.dropFirst()
        #expect(lines.count == 5)
        func cents(_ s: String) -> Int { s.isEmpty ? 0 : Int(s.replacingOccurrences(of: ".", with: ""))! }
        #expect(lines.reduce(0) { $0 + cents($1[5]) } == 1265)
        #expect(lines.reduce(0) { $0 + cents($1[6]) } == 1265)
        #expect(lines.allSatisfy { $0[0] == "2026-06-30" && $0[2] == "Acme Media SAS" && $0[9] == "INV-0601" && $0[7] == "USD" })
        #expect(lines.last?[3] == "2100 Accounts payable")
        #expect(lines.last?[6] == "12.55")
        #expect(Set(lines.map { $0[10] }).count == 1)
        let reconciliation = try #require(TestPaths.read(out + "reconciliation.csv"))
        #expect(reconciliation.contains("2026-06,final,statement,,,,Usage,difference,0\n"))
        #expect(reconciliation.contains("2026-06,final,invoice,111122223333,AWS,INV-0601,,invoice_difference,0.01\n"))
        for page in ["chargeback.md", "chargeback.html"] {
            let text = try #require(TestPaths.read(out + page))
            #expect(text.contains("FINAL"))
            #expect(!text.contains("PROVISIONAL"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/Reports/2026-06/media"))
    }

    @Test func anEstimatedMonthIsProvisionalOnEveryPage() throws {
        let folder = try Self.fixture(edit: { $0.replacingOccurrences(of: ",INV-0601,", with: ",,") }, yaml: { $0.replacingOccurrences(of: "  invoices: invoices.csv\n", with: "") })
        let run = try Self.report(folder)
        #expect(run.status == 0, "\(run.stderr)")
        let out = folder + "/Reports/2026-06/finance/"
        for page in ["chargeback.md", "chargeback.html"] {
            let text = try #require(TestPaths.read(out + page))
            // At the top and at the foot of the page.
            #expect(text.components(separatedBy: "PROVISIONAL").count - 1 >= 2, "\(page)")
        }
        for file in ["chargeback.csv", "reconciliation.csv"] {
            #expect(Self.rows(try #require(TestPaths.read(out + file))).dropFirst().allSatisfy { $0[1] == "provisional" }, "\(file)")
        }
        let journal = Self.rows(try #require(TestPaths.read(out + "journal.csv"))).dropFirst()
        #expect(journal.allSatisfy { $0[8].hasPrefix("PROVISIONAL ") && $0[9] == "estimated" })
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/Reports/2026-06/summary.json"))) as? [String: Any]
        #expect((summary?["finance"] as? [String: Any])?["status"] as? String == "provisional")
    }

    @Test func aRunThatFailsHalfWayLeavesTheFolderAsItWas() throws {
        let folder = try Self.fixture()
        #expect(try Self.report(folder).status == 0)
        let root = folder + "/Reports/2026-06"
        func snapshot() throws -> [String: String] {
            var out: [String: String] = [:]
            for case let path as String in FileManager.default.enumerator(atPath: root)! { out[path] = TestPaths.read(root + "/" + path) }
            return out
        }
        let before = try snapshot()
        #expect(before.keys.contains("finance/journal.csv"))
        // The billing inputs read and allocate; the invoices file then fails: nothing may change.
        try TestPaths.write("invoice_id,amount\nINV-0601,seventeen\n", to: folder + "/invoices.csv")
        let failed = try Self.report(folder)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains(#"invoices.csv:2: amount "seventeen" is not a decimal"#), "\(failed.stderr)")
        #expect(try snapshot() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/Reports") == ["2026-06"])
    }

    @Test func againstAnOlderRunWritesTheAdjustments() throws {
        let folder = try Self.fixture()
        #expect(try Self.report(folder).status == 0)
        let old = folder + "/old-summary.json"
        try FileManager.default.copyItem(atPath: folder + "/Reports/2026-06/summary.json", toPath: old)
        // AWS restates CC-300's usage from 1.00 to 2.00: direct cost moves, and so does the shared split.
        try TestPaths.write(
            try #require(TestPaths.read(folder + "/allocation.csv")).replacingOccurrences(of: "1K tokens,1.00,1.00,USD", with: "1K tokens,2.00,2.00,USD")
                .replacingOccurrences(of: "NovaPro-input-tokens,arn:aws:sts::444455556666:assumed-role/batch/nightly,1000,1K tokens,2.00,2.00", with: "NovaPro-input-tokens,arn:aws:sts::444455556666:assumed-role/batch/nightly,1000,1K tokens,1.00,1.00"),
            to: folder + "/allocation.csv")
        let run = try Self.report(folder, ["--against", old])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = Self.rows(try #require(TestPaths.read(folder + "/Reports/2026-06/finance/adjustments.csv")))
        #expect(rows[0] == ["period", "status", "cost_center", "line_item_type", "old", "new", "adjustment", "adjustment_exact", "currency", "against_run_id", "run_id"])
        // shared 1.00 now splits 6 : 3 : 2 instead of 6 : 3 : 1: CC-100 0.6 → 6/11, CC-200 0.3 → 3/11, CC-300 +1 direct, 0.1 → 2/11.
        let byKey = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ("\($0[2]) \($0[3])", $0[7]) })
        #expect(byKey == ["CC-100 Usage": "-0.0545454545", "CC-200 Usage": "-0.0272727273", "CC-300 Usage": "1.0818181818"])
        #expect(rows.dropFirst().map { $0[6] } == ["-0.05", "-0.03", "1.08"])
        #expect(rows.dropFirst().allSatisfy { $0[9] != $0[10] && !$0[9].isEmpty })
    }

    @Test func againstNeedsTheFinanceReportAndTheSameMonth() throws {
        let folder = try Self.fixture()
        let media = try CommandLineTests.run(["report", "--config", folder + "/allocation.yaml", "--period", "2026-06", "--against", "x.json"])
        #expect(media.status == 2, "\(media.stderr)")
        #expect(try Self.report(folder).status == 0)
        let other = try Self.report(folder, ["--against", TestPaths.fixture("golden/demo/summary.json")])
        #expect(other.status == 1)
        #expect(other.stderr.contains("has no finance section"), "\(other.stderr)")
    }

    @Test func inputStringsCannotBecomeFormulasOrMarkup() throws {
        let folder = try Self.fixture(edit: {
            $0.replacingOccurrences(of: #"""CC-100"""#, with: #"""=HYPERLINK(1)"""#).replacingOccurrences(of: #"""CC-300"""#, with: #"""<b>-7</b>"""#)
        })
        let run = try Self.report(folder)
        #expect(run.status == 0, "\(run.stderr)")
        let out = folder + "/Reports/2026-06/finance/"
        let chargeback = try #require(TestPaths.read(out + "chargeback.csv"))
        #expect(chargeback.contains("\n2026-06,final,'=HYPERLINK(1),6.00,"))
        #expect(chargeback.contains("\n2026-06,final,<b>-7</b>,1.00,"))
        #expect(chargeback.contains(",-0.10,-0.1,USD\n"), "numbers unitcost writes are never altered")
        let journal = try #require(TestPaths.read(out + "journal.csv"))
        #expect(journal.contains(",'=HYPERLINK(1),"))
        let html = try #require(TestPaths.read(out + "chargeback.html"))
        #expect(html.contains("&lt;b&gt;-7&lt;/b&gt;"))
        #expect(!html.contains("<b>-7</b>"))
    }
}

extension FinanceCommandTests {
    @Test(.enabled(if: TestPaths.hasShared, "../shared/schema is not beside this clone"))
    func theDemoStatementMatchesTheSharedSchema() throws {
        let out = try TestPaths.temporaryFolder()
        let run = try CommandLineTests.run(
            ["report", "--config", TestPaths.demo + "/finance.yaml", "--period", "2026-06", "--only", "finance,media", "--out", out, "--templates", TestPaths.templates])
        #expect(run.status == 0, "\(run.stderr)")
        let validator = try SchemaValidator(path: TestPaths.shared + "/schema/summary.schema.json")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/2026-06/summary.json")))
        #expect(validator.violations(of: document).isEmpty, "\(validator.violations(of: document))")
        let summary = try #require(document as? [String: Any])
        let centers = try #require(summary["cost_centers"] as? [[String: Any]])
        #expect(centers.map { $0["cost_center"] as? String } == ["CC-200 Growth", "CC-310 Brand", "CC-900 Analytics"])
        #expect((summary["allocation"] as? [Any])?.isEmpty == false)
        for file in ["media/report.md", "finance/chargeback.md", "finance/journal.csv"] {
            #expect(FileManager.default.fileExists(atPath: out + "/2026-06/" + file), "\(file)")
        }
    }
}

extension FinanceCommandTests {
    /// A Marketplace invoice for the same payer and a second payer with its own invoice and credit.
    static let moreRows = [
        #"111122223333,AWS Marketplace,2026-06-01T00:00:00.000Z,INV-MP,444455556666,Usage,2026-06-12T00:00:00.000Z,2026-06-13T00:00:00.000Z,prodxyz,USE1-MP:USE1_InputTokenCount-Units,arn:aws:sts::444455556666:assumed-role/creative-gen/s1,0.111,Units,0.333,0.333,USD,"{""product_name"":""Claude Sonnet 4.5 (Amazon Bedrock Edition)""}",{},"{""iamPrincipal/cost-center"":""CC-100""}""#,
        #"999988887777,AWS,2026-06-01T00:00:00.000Z,INV-9,555566667777,Usage,2026-06-12T00:00:00.000Z,2026-06-13T00:00:00.000Z,AmazonBedrock,USE1-NovaPro-input-tokens,arn:aws:sts::555566667777:assumed-role/app/x,100,1K tokens,1.00,1.00,USD,"{""product_name"":""Amazon Bedrock""}",{},"{""iamPrincipal/cost-center"":""CC-400""}""#,
        #"999988887777,AWS,2026-06-01T00:00:00.000Z,INV-9,555566667777,Credit,2026-06-01T00:00:00.000Z,2026-07-01T00:00:00.000Z,AmazonBedrock,,,0,,-0.333,-0.333,USD,"{""product_name"":""Amazon Bedrock""}",{},{}"#,
    ]

    @Test func theJournalBalancesPerEntityAndInvoice() throws {
        let folder = try Self.fixture(edit: { $0 + Self.moreRows.joined(separator: "\n") + "\n" })
        let run = try Self.report(folder)
        #expect(run.status == 0, "\(run.stderr)")
        let journal = Self.rows(try #require(TestPaths.read(folder + "/Reports/2026-06/finance/journal.csv"))).dropFirst()
        func cents(_ s: String) -> Int { s.isEmpty ? 0 : Int(s.replacingOccurrences(of: ".", with: ""))! }
        var balance: [String: Int] = [:]
        for line in journal {
            balance[line[2], default: 0] += cents(line[5]) - cents(line[6])
            balance[line[2] + " " + line[9], default: 0] += cents(line[5]) - cents(line[6])
        }
        #expect(balance == ["Acme Media SAS": 0, "Acme Media SAS INV-0601": 0, "Acme Media SAS INV-MP": 0, "payer 999988887777": 0, "payer 999988887777 INV-9": 0])
        let payable = journal.filter { $0[3] == "2100 Accounts payable" }.map { "\($0[2]) \($0[9]) \($0[6])" }
        // The second payer's credit stays within its own account: 1.00 − 0.333 = 0.667 → 0.67.
        #expect(payable == ["Acme Media SAS INV-0601 12.55", "Acme Media SAS INV-MP 0.33", "payer 999988887777 INV-9 0.67"])
        let centers = journal.filter { $0[2] == "payer 999988887777" && $0[3] == "6120 AI inference" }.map { "\($0[4]) \($0[5])" }
        #expect(centers == ["CC-400 0.67"])
    }
}

extension FinanceCommandTests {
    @Test func aRuleWhoseLinesAnEarlierRuleTookSaysSo() throws {
        // SPEC §3.5's order: shared (unassigned) before gateway, whose lines carry no cost center.
        let folder = try Self.fixture(yaml: { yaml in
            let gateway = #"  - {name: gateway, allocate: {principal: "*:role/llm-gateway"}, to: cost_center, method: driver, driver: tokens}"# + "\n"
            return yaml.replacingOccurrences(of: gateway, with: "").replacingOccurrences(of: "allocation:\n", with: "allocation:\n" + "  - {name: shared, allocate: unassigned, to: cost_center, method: proportional}\n" + gateway)
                .replacingOccurrences(of: "  - {name: shared, allocate: unassigned, to: cost_center, method: proportional}\n  - {name: credits", with: "  - {name: credits")
        })
        let run = try Self.report(folder)
        #expect(run.status == 0, "\(run.stderr)")
        let md = try #require(TestPaths.read(folder + "/Reports/2026-06/finance/chargeback.md"))
        #expect(md.contains("| gateway | principal \\*:role/llm-gateway | driver (tokens) | payer, currency | 0.00 | 0.00 (took nothing) (shared took 2.00 of its cost first) |"), "\(md)")
    }
}
