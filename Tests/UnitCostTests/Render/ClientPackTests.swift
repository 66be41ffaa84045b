import Foundation
import Testing
import UnitCost

/// Client transparency packs (SPEC §8 "Client packs"): only the client's pieces, exact markup and
/// rate-card pricing, client currency, checksums `sha256sum -c` accepts, byte-identical reruns, safe
/// folder names, injection-safe CSV, and a failed run that leaves the previous reports as they were.
@Suite struct ClientPackTests {
    /// A CUR 2.0 tags cell setting campaign and, optionally, client.
    static func tags(campaign: String?, client: String? = nil) -> String {
        var pairs: [String] = []
        if let campaign { pairs.append("\"\"iamPrincipal/campaign\"\":\"\"\(campaign)\"\"") }
        if let client { pairs.append("\"\"iamPrincipal/client\"\":\"\"\(client)\"\"") }
        return "\"{" + pairs.joined(separator: ",") + "}\""
    }

    static func role(_ name: String, session: String) -> String { "arn:aws:sts::444455556666:assumed-role/\(name)/\(session)" }

    struct Run {
        var folder: String
        var destination: String
        var result: ReportResult
        func pack(_ slug: String) -> String { destination + "/clients/" + slug }
        func file(_ slug: String, _ name: String) -> String { TestPaths.read(pack(slug) + "/" + name) ?? "" }
        func allFiles(_ slug: String) -> String {
            ["index.html", "report.md", "line-items.csv", "summary.json", "MANIFEST.sha256"].map { file(slug, $0) }.joined(separator: "\n")
        }
    }

    /// Writes cur.csv and unitcost.yaml (plus `files`) into a new folder and runs `report` for 2026-W25.
    static func run(
        _ rows: [String], clients: String, extra: String = "", files: [String: String] = [:], folder: String? = nil, reports: Set<ReportRequest.Report>? = nil
    ) throws -> Run {
        let folder = try folder ?? TestPaths.temporaryFolder()
        try TestPaths.write(([CUR2ReaderTests.header] + rows).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        for (name, text) in files { try TestPaths.write(text, to: folder + "/" + name) }
        let yaml = """
            billing: [cur.csv]
            attribution:
              tags:
                - {key: iamPrincipal/campaign, dimension: campaign}
                - {key: iamPrincipal/client, dimension: client}
            \(extra)
            clients:
            \(clients)
            """
        try TestPaths.write(yaml, to: folder + "/unitcost.yaml")
        var request = ReportRequest(configPath: folder + "/unitcost.yaml", period: try Period(parsing: "2026-W25"), destination: folder + "/out/2026-W25")
        request.templatesDirectory = TestPaths.templates
        request.reports = reports
        return Run(folder: folder, destination: request.destination, result: try Pipeline.report(request))
    }

    static let twoClients = [
        CUR2ReaderTests.row(cost: "1.5", net: "1.5", principal: role("role-alpha", session: "alice@alpha.example"), tags: tags(campaign: "alpha-MARKERA")),
        CUR2ReaderTests.row(
            cost: "2.25", net: "2.25", day: 16, principal: role("role-alpha", session: "alice@alpha.example"), tags: tags(campaign: "alpha-MARKERA"),
            usage: "USE1-NovaPro-output-tokens"),
        CUR2ReaderTests.row(cost: "4", net: "4", principal: role("role-beta", session: "bob@beta.example"), tags: tags(campaign: "beta-MARKERB")),
        CUR2ReaderTests.row(cost: "0.5", net: "0.5", day: 17, principal: role("role-gamma", session: "carol"), tags: tags(campaign: "gamma-MARKERC", client: "Beta Corp")),
        CUR2ReaderTests.row(cost: "7", net: "7", principal: role("role-unmapped", session: "dave"), tags: "{}"),
    ]
    static let twoClientsYAML = """
          Alpha Inc:
            campaigns: [alpha-MARKERA]
            markup: 15%
          Beta Corp:
            campaigns: [beta-MARKERB]
            markup: 10%
        """

    @Test func poolsAllocatedToClientsArriveAsOneRowPerRule() throws {
        // The unmapped 7.00 line has no client: the rule `to: client` splits it by direct cost, Alpha 3.75
        // (its campaign) and Beta 4.50 (its campaign 4.00 and a client tag 0.50), out of 8.25:
        // 7 × 3.75 / 8.25 = 3.1818181818…, 7 × 4.5 / 8.25 = 3.8181818181… (largest remainder: …82).
        let run = try Self.run(
            Self.twoClients, clients: Self.twoClientsYAML,
            extra: "allocation:\n  - {name: shared, allocate: unassigned, to: client, method: proportional}")
        let packs = run.result.summary.clientPacks
        let a = try #require(packs.first { $0.client.name == "Alpha Inc" })
        let b = try #require(packs.first { $0.client.name == "Beta Corp" })
        #expect(a.underlying == Money("6.9318181818")!)
        #expect(b.underlying == Money("8.3181818182")!)
        #expect(a.underlying + b.underlying == Money("15.25")!, "every piece of the bill is in exactly one pack")
        let pooled = try #require(a.lines.first { $0.method.hasPrefix("allocated by rule shared") })
        #expect(pooled.underlying == Money("3.1818181818")!)
        #expect(pooled.method == "allocated by rule shared (proportional, by direct cost): share of a pool of 7.00 USD")
        #expect(pooled.markup == Money("0.4772727273")!)
        #expect(a.lines.count == 3)
        // The pool's own line (principal role-unmapped) is in no pack: only the rule's row.
        #expect(!run.allFiles("alpha-inc").contains("role-unmapped"))
        #expect(run.file("alpha-inc", "line-items.csv").contains("allocated by rule shared"))
    }

    @Test func aCreditTakenByARuleIsAllocatedNeverAlsoDirect() throws {
        // Alpha's own −0.50 credit is taken by the credits rule (within its account and product) and split
        // by direct cost, Alpha 3.75 and Beta 4.50 of 8.25: −0.5 × 3.75 / 8.25 = −0.2272727272…(7) and
        // −0.5 × 4.5 / 8.25 = −0.2727272727…(3), exact to 10⁻¹⁰ by largest remainder: −0.2272727273 and
        // −0.2727272727. Only Alpha passes credits through, and the −0.50 line itself is in no pack.
        let credit = CUR2ReaderTests.row(
            cost: "-0.5", net: "-0.5", day: 18, type: "Credit", principal: "", tags: Self.tags(campaign: "alpha-MARKERA"), usage: "USE1-NovaPro-input-tokens")
        let clients = """
              Alpha Inc:
                campaigns: [alpha-MARKERA]
                markup: 0%
                pass_through: [credits]
              Beta Corp:
                campaigns: [beta-MARKERB]
                markup: 0%
            """
        let run = try Self.run(
            Self.twoClients + [credit], clients: clients,
            extra: "allocation:\n  - {name: credits, allocate: credits, to: client, method: proportional}")
        let a = try #require(run.result.summary.clientPacks.first { $0.client.name == "Alpha Inc" })
        let b = try #require(run.result.summary.clientPacks.first { $0.client.name == "Beta Corp" })
        let credits = a.lines.filter { $0.lineItemType == "Credit" }
        #expect(credits.count == 1)
        #expect(credits.first?.method.hasPrefix("allocated by rule credits") == true)
        #expect(credits.first?.underlying == Money("-0.2272727273")!)
        #expect(a.underlying == Money("3.5227272727")!, "Alpha: 3.75 direct and its share of the credit, once")
        #expect(b.underlying == Money("4.5")!, "Beta does not take credits")
        #expect(b.lines.allSatisfy { $0.lineItemType != "Credit" })
    }

    @Test func aPackHoldsOnlyItsClientsPiecesWithExactMarkup() throws {
        let run = try Self.run(Self.twoClients, clients: Self.twoClientsYAML)
        let alpha = run.allFiles("alpha-inc"), beta = run.allFiles("beta-corp")
        for marker in ["MARKERB", "MARKERC", "role-beta", "role-gamma", "Beta Corp", "role-unmapped", "bob@", "carol", "dave", "unattributed"] {
            #expect(!alpha.contains(marker), "alpha's pack holds \(marker)")
        }
        for marker in ["MARKERA", "role-alpha", "Alpha Inc", "role-unmapped", "alice", "dave", "unattributed"] {
            #expect(!beta.contains(marker), "beta's pack holds \(marker)")
        }
        // Session names are hashed; the role shows.
        #expect(alpha.contains("444455556666:role/role-alpha/"))

        let packs = run.result.summary.clientPacks
        let a = try #require(packs.first { $0.client.name == "Alpha Inc" })
        #expect(a.underlying == Money("3.75")!)
        #expect(a.markup == Money("0.5625")!)
        #expect(a.billed == Money("4.3125")!)
        #expect(a.tokens == 2_000_000)
        // Beta: its campaign's 4.00 (by the campaign list) and gamma's 0.50 (by its client tag).
        let b = try #require(packs.first { $0.client.name == "Beta Corp" })
        #expect(b.underlying == Money("4.5")!)
        #expect(b.markup == Money("0.45")!)
        #expect(b.billed == Money("4.95")!)
        #expect(b.lines.map(\.method) == ["whole line; campaign set by tag, listed for this client", "whole line; client set by tag"])

        let csv = run.file("alpha-inc", "line-items.csv").split(separator: "\n").map(String.init)
        #expect(csv.count == 3)
        #expect(
            csv[0]
                == "day,line_item_type,usage_type,model,token_kind,tier,account,principal,campaign,line_billed_tokens,line_cost_usd,share_and_method,billed_tokens,underlying_cost_usd,markup_usd,billed_usd"
        )
        #expect(csv[1].hasPrefix("2026-06-15,Usage,USE1-NovaPro-input-tokens,NovaPro,input,,444455556666,444455556666:role/role-alpha/"))
        #expect(csv[1].hasSuffix(",alpha-MARKERA,1000000,1.5,\"whole line; campaign set by tag, listed for this client\",1000000,1.5,0.225,1.725"), "\(csv[1])")
        #expect(csv[2].hasSuffix(",2.25,0.3375,2.5875"))

        let json = run.file("alpha-inc", "summary.json")
        #expect(json.contains("\"underlying_cost\": \"3.75\""))
        #expect(json.contains("\"markup\": \"0.5625\""))
        #expect(json.contains("\"billed\": \"4.3125\""))
        // The run's summary.json lists both clients.
        let top = try #require(TestPaths.read(run.destination + "/summary.json"))
        #expect(top.contains("\"client\": \"Alpha Inc\"") && top.contains("\"client\": \"Beta Corp\""))
        // The method in plain words comes before any table.
        let md = run.file("alpha-inc", "report.md")
        let method = try #require(md.range(of: "## How this was worked out"))
        let firstLineTable = try #require(md.range(of: "## By campaign"))
        #expect(method.lowerBound < firstLineTable.lowerBound)
        #expect(md.contains("markup, line by line"))
    }

    @Test func sessionNamesAreHashedEvenWhenTheConfigShowsThem() throws {
        let run = try Self.run(Self.twoClients, clients: Self.twoClientsYAML, extra: "show_session_names: true")
        #expect(!run.allFiles("alpha-inc").contains("alice"))
        // The media report does show them, as configured (its unattributed list names the caller).
        #expect(TestPaths.read(run.destination + "/media/report.md")?.contains("role-unmapped/dave") == true)
    }

    @Test func manifestChecksEveryFileAndRerunsAreByteIdentical() throws {
        let first = try Self.run(Self.twoClients, clients: Self.twoClientsYAML)
        let second = try Self.run(Self.twoClients, clients: Self.twoClientsYAML)
        for slug in ["alpha-inc", "beta-corp"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: first.pack(slug)).sorted()
            #expect(names == ["MANIFEST.sha256", "index.html", "line-items.csv", "report.md", "summary.json"])
            for name in names {
                let a = try #require(FileManager.default.contents(atPath: first.pack(slug) + "/" + name))
                let b = try #require(FileManager.default.contents(atPath: second.pack(slug) + "/" + name))
                #expect(a == b, "\(slug)/\(name) differs between two runs of the same inputs")
            }
            let manifest = first.file(slug, "MANIFEST.sha256")
            for name in names where name != "MANIFEST.sha256" {
                let digest = SHA256.hex(of: [UInt8](try #require(FileManager.default.contents(atPath: first.pack(slug) + "/" + name))))
                #expect(manifest.contains(digest + "  " + name + "\n"))
            }
            guard let sha256sum = ["/usr/bin/sha256sum", "/bin/sha256sum"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
                print("sha256sum not installed: skipping the sha256sum -c check")
                continue
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sha256sum)
            process.arguments = ["-c", "--strict", "MANIFEST.sha256"]
            process.currentDirectoryURL = URL(fileURLWithPath: first.pack(slug))
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            process.waitUntilExit()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "sha256sum -c: \(output)")
            #expect(output.components(separatedBy: ": OK").count - 1 == 4, "\(output)")
            // A changed file fails the check.
            try TestPaths.write(first.file(slug, "line-items.csv") + "x", to: first.pack(slug) + "/line-items.csv")
            let again = Process()
            again.executableURL = URL(fileURLWithPath: sha256sum)
            again.arguments = ["-c", "--quiet", "MANIFEST.sha256"]
            again.currentDirectoryURL = URL(fileURLWithPath: first.pack(slug))
            again.standardOutput = Pipe()
            again.standardError = Pipe()
            try again.run()
            again.waitUntilExit()
            #expect(again.terminationStatus != 0)
        }
    }

    @Test func csvCellsFromInputsAreNeutralizedAndNumbersKept() throws {
        // In the CSV cell, JSON's \" is written \"" (the quote doubled).
        let hostile = #"=HYPERLINK(\""http://x\"")"#
        let rows = [
            CUR2ReaderTests.row(cost: "2", net: "2", principal: Self.role("r", session: "s"), tags: Self.tags(campaign: hostile)),
            CUR2ReaderTests.row(cost: "-0.5", net: "-0.5", type: "Credit", principal: "", tags: Self.tags(campaign: hostile), usage: ""),
            CUR2ReaderTests.row(cost: "1", net: "1", principal: Self.role("r", session: "s"), tags: Self.tags(campaign: "@cmd"), usage: "+USE1-NovaPro-input-tokens"),
        ]
        let run = try Self.run(
            rows, clients: "  \"-evil\":\n    campaigns: ['=HYPERLINK(\"http://x\")', '@cmd']\n    markup: 0%\n    pass_through: [credits]")
        let csv = run.file("evil", "line-items.csv")
        #expect(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","))
        #expect(csv.contains(",'@cmd,"))
        #expect(csv.contains(",'+USE1-NovaPro-input-tokens,"))
        // The credit's negative amounts are numbers, written as they are.
        #expect(csv.contains(",-0.5,0,-0.5\n"))
        #expect(!csv.contains("'-0.5"))
        let html = run.file("evil", "index.html")
        #expect(!html.contains("HYPERLINK(\"http"))
        #expect(html.contains("=HYPERLINK(&quot;http://x&quot;)"))
    }

    @Test func hostileClientNamesGetSafeFoldersInsideTheOutput() throws {
        let rows = [
            CUR2ReaderTests.row(cost: "1", net: "1", principal: Self.role("r", session: "s"), tags: Self.tags(campaign: "c1")),
            CUR2ReaderTests.row(cost: "2", net: "2", principal: Self.role("r", session: "s"), tags: Self.tags(campaign: "c2")),
        ]
        let run = try Self.run(rows, clients: "  ../../x:\n    campaigns: [c1]\n    markup: 0%\n  CON:\n    campaigns: [c2]\n    markup: 0%")
        let clients = try FileManager.default.contentsOfDirectory(atPath: run.destination + "/clients").sorted()
        #expect(clients == ["con-client", "x"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.folder).sorted() == ["cur.csv", "out", "unitcost.yaml"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.folder + "/out") == ["2026-W25"])
        #expect(run.file("x", "summary.json").contains("\"client\": \"../../x\""))
    }

    @Test func passThroughDecidesWhichCreditsReachTheClient() throws {
        let rows = [
            CUR2ReaderTests.row(cost: "1.5", net: "1.5", principal: Self.role("r", session: "s"), tags: Self.tags(campaign: "c1")),
            CUR2ReaderTests.row(cost: "-0.5", net: "-0.5", type: "Credit", principal: "", tags: "{}", usage: ""),
            CUR2ReaderTests.row(cost: "0.2", net: "0.2", type: "Tax", principal: "", tags: "{}", usage: ""),
        ]
        let files = ["accounts.csv": "account,client\n444455556666,acme\n"]
        let extraAccounts = "  accounts: accounts.csv"
        // `extra` lands after attribution's tags, inside attribution:.
        let passed = try Self.run(rows, clients: "  acme:\n    markup: 15%\n    pass_through: [credits]", extra: extraAccounts, files: files)
        let p = try #require(passed.result.summary.clientPacks.first)
        #expect(p.lines.map(\.lineItemType) == ["Credit", "Usage"])
        #expect(p.underlying == Money("1")!)
        #expect(p.markup == Money("0.15")!)
        #expect(p.billed == Money("1.15")!)
        #expect(passed.file("acme", "report.md").contains("Passed through to you as AWS gave them: credits."))
        let kept = try Self.run(rows, clients: "  acme:\n    markup: 15%", extra: extraAccounts, files: files)
        let k = try #require(kept.result.summary.clientPacks.first)
        #expect(k.lines.map(\.lineItemType) == ["Usage"])
        #expect(k.underlying == Money("1.5")!)
        #expect(k.lines.first?.method == "whole line; client set by accounts map")
    }

    static let rateCardRows = [
        CUR2ReaderTests.row(cost: "1.5", net: "1.5", principal: role("r", session: "s"), tags: tags(campaign: "c1")),
        CUR2ReaderTests.row(cost: "3", net: "3", principal: role("r", session: "s"), tags: tags(campaign: "c1"), usage: "USE1-NovaPro-output-tokens-flex"),
        CUR2ReaderTests.row(cost: "0.25", net: "0.25", principal: role("r", session: "s"), tags: tags(campaign: "c1"), usage: "USE1-NovaPro-guardrail-text-units"),
    ]

    @Test func aRateCardPricesEveryLine() throws {
        let card = "model,token_kind,tier,price_per_1m\nnovapro,input,,0.9\nNovaPro,output,*,4.125\n"
        let run = try Self.run(
            Self.rateCardRows, clients: "  acme:\n    campaigns: [c1]\n    rate_card: {file: rates.csv, other: cost + 20%}", files: ["rates.csv": card])
        let p = try #require(run.result.summary.clientPacks.first)
        // 1M input tokens at 0.90, 1M flex output tokens at 4.125 (the * row), the guardrail line at cost + 20 %.
        #expect(p.lines.map(\.billed) == [Money("0.3")!, Money("0.9")!, Money("4.125")!])
        #expect(p.underlying == Money("4.75")!)
        #expect(p.billed == Money("5.325")!)
        #expect(p.markup == Money("0.575")!)
        #expect(p.rateCardSHA256 == SHA256.hex(of: Array(card.utf8)))
        #expect(run.file("acme", "summary.json").contains("\"rate_card_sha256\": \"\(SHA256.hex(of: Array(card.utf8)))\""))
    }

    @Test func aMissingRateIsAnErrorNamingTheLine() throws {
        let card = "model,token_kind,tier,price_per_1m\nNovaPro,input,,0.9\n"
        let error = #expect(throws: UnitCostError.self) {
            try Self.run(Self.rateCardRows, clients: "  acme:\n    campaigns: [c1]\n    rate_card: {file: rates.csv, other: 20%}", files: ["rates.csv": card])
        }
        #expect(
            error?.description
                == "rate card rates.csv: no rate for model NovaPro, token kind output, tier flex, needed by clients.acme's line 2026-06-15 USE1-NovaPro-output-tokens-flex (Usage); add a row model,token_kind,tier,price_per_1m"
        )
        let noOther = #expect(throws: UnitCostError.self) {
            try Self.run(
                Self.rateCardRows, clients: "  acme:\n    campaigns: [c1]\n    rate_card: rates.csv",
                files: ["rates.csv": card + "NovaPro,output,flex,4\n"])
        }
        #expect(noOther?.description.contains("clients.acme's line 2026-06-15 USE1-NovaPro-guardrail-text-units (Usage) has no tokens to price") == true, "\(noOther?.description ?? "")")
    }

    @Test func billedAmountsConvertAtThePeriodsLastDayRate() throws {
        // No rate on 2026-06-20 or 06-21: the 06-19 rate is the latest on or before the last day.
        let fx = "date,currency,rate_to_report_currency\n2026-06-15,EUR,1.1\n2026-06-19,EUR,1.25\n2026-06-23,EUR,2\n"
        let run = try Self.run(
            Self.twoClients, clients: Self.twoClientsYAML.replacingOccurrences(of: "markup: 15%", with: "markup: 15%\n    currency: EUR"),
            extra: "fx: fx.csv", files: ["fx.csv": fx])
        let a = try #require(run.result.summary.clientPacks.first { $0.client.name == "Alpha Inc" })
        #expect(a.conversion?.currency == "EUR" && a.conversion?.rate == Money("1.25")! && a.conversion?.date == Day(year: 2026, month: 6, day: 19)!)
        #expect(a.billedInClientCurrency == Money("3.45")!)
        #expect(run.file("alpha-inc", "line-items.csv").split(separator: "\n").first?.hasSuffix(",billed_usd,billed_eur") == true)
        #expect(run.file("alpha-inc", "report.md").contains("**Billed in EUR: 3.45 EUR** (1 EUR = 1.25 USD, the rate of 2026-06-19)."))
        #expect(run.result.summary.clientPacks.first { $0.client.name == "Beta Corp" }?.conversion == nil)
        let stale = #expect(throws: UnitCostError.self) {
            try Self.run(
                Self.twoClients, clients: Self.twoClientsYAML.replacingOccurrences(of: "markup: 15%", with: "markup: 15%\n    currency: GBP"),
                extra: "fx: fx.csv", files: ["fx.csv": fx])
        }
        #expect(stale?.description.contains("no GBP rate on or up to 7 days before 2026-06-21, the last day of 2026-W25") == true, "\(stale?.description ?? "")")
    }

    @Test func aRunThatFailsLeavesThePreviousPacksAsTheyWere() throws {
        let first = try Self.run(Self.twoClients, clients: Self.twoClientsYAML)
        func snapshot() throws -> [String: Data] {
            var out: [String: Data] = [:]
            let root = first.destination
            for case let path as String in FileManager.default.enumerator(atPath: root)! {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    out[path] = FileManager.default.contents(atPath: root + "/" + path)
                }
            }
            return out
        }
        let before = try snapshot()
        #expect(before.keys.contains("clients/alpha-inc/line-items.csv"))
        // The second run fails while building its packs (a rate card that is not there)…
        #expect(throws: UnitCostError.self) {
            try Self.run(
                Self.twoClients, clients: Self.twoClientsYAML + "\n  Gamma:\n    campaigns: [gamma]\n    rate_card: missing-rates.csv", folder: first.folder)
        }
        #expect(try snapshot() == before)
        // …and a write that fails half-way through the pack's files leaves the folder as it was, with no
        // staging folder behind.
        let files: [(path: String, contents: String)] = [("clients/alpha-inc/index.html", "replaced"), ("clients/../../escape", "x")]
        #expect(throws: UnitCostError.self) { try ReportWriter(destination: first.destination).write(files) }
        #expect(try snapshot() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: first.folder + "/out") == ["2026-W25"])
    }

    @Test func onlyAgencyNeedsClients() throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write(([CUR2ReaderTests.header] + [CUR2ReaderTests.row()]).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        try TestPaths.write("billing: [cur.csv]\n", to: folder + "/unitcost.yaml")
        var request = ReportRequest(configPath: folder + "/unitcost.yaml", period: try Period(parsing: "2026-W25"), destination: folder + "/out")
        request.templatesDirectory = TestPaths.templates
        request.reports = [.agency]
        #expect(throws: UnitCostError.usage("--only agency: config \(folder)/unitcost.yaml has no clients: (docs/agency.md shows how to add them)")) {
            try Pipeline.report(request)
        }
        // --only agency writes the packs and no media report.
        let run = try Self.run(Self.twoClients, clients: Self.twoClientsYAML, reports: [.agency])
        #expect(!FileManager.default.fileExists(atPath: run.destination + "/media/report.md"))
        #expect(FileManager.default.fileExists(atPath: run.pack("alpha-inc") + "/index.html"))
    }

    @Test func piecesSplitByInvocationLogsStateTheirShare() throws {
        let arn = RequestMetadataSplitTests.arn
        let rows = [
            CUR2ReaderTests.row(cost: "0.92", net: "0.92", day: 16, principal: arn, tags: "{}", usage: "USE1-Claude4.6Sonnet-input-tokens")
                .replacingOccurrences(of: ",1000,1K tokens,", with: ",18.4,1K tokens,")
        ]
        let logs = [RequestMetadataSplitTests.log("spring", input: 11_500, output: 0), RequestMetadataSplitTests.log("summer", input: 4_600, output: 0)]
        let run = try Self.run(
            rows, clients: "  acme:\n    campaigns: [spring]\n    markup: 0%",
            extra: "  request_metadata: {campaign_id: campaign}\ninvocation_logs: [logs/*.json]", files: ["logs/2026-06-16.json": logs.joined(separator: "\n") + "\n"])
        let p = try #require(run.result.summary.clientPacks.first)
        // 11,500 of 18,400 billed tokens: 62.5 % of the line's 0.92.
        #expect(p.lines.count == 1)
        #expect(p.lines.first?.method == "invocation logs: 62.5 % of 18,400 tokens; campaign set by invocation-log metadata, listed for this client")
        #expect(p.lines.first?.tokens == 11_500)
        // The line it came from: 18,400 tokens for 0.92.
        #expect(p.lines.first?.lineTokens == 18_400 && p.lines.first?.lineCost == Money("0.92")!)
        #expect(run.file("acme", "line-items.csv").contains(",18400,0.92,\"invocation logs: 62.5 % of 18,400 tokens; campaign set by invocation-log metadata, listed for this client\",11500,0.575,0,0.575\n"))
        #expect(p.underlying == Money("0.575")!)
        #expect(!run.allFiles("acme").contains("summer"))
    }

    @Test func hostileNamesRenderInertInThePack() throws {
        let rows = [CUR2ReaderTests.row(cost: "1", net: "1", principal: Self.role("r", session: "s"), tags: Self.tags(campaign: "<img src=x onerror=alert(1)>"))]
        let run = try Self.run(rows, clients: "  \"<script>alert(1)</script> | *x*\":\n    campaigns: [\"<img src=x onerror=alert(1)>\"]\n    markup: 0%")
        let slug = "script-alert-1-script-x"
        let html = run.file(slug, "index.html"), md = run.file(slug, "report.md")
        #expect(!html.contains("<script>alert") && !html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(md.contains(#"\<script\>alert(1)\</script\> \| \*x\*"#))
    }

    @Test func aCampaignOrValueClaimedByTwoClientsIsAnError() throws {
        let twice = #expect(throws: UnitCostError.self) {
            try Self.run(Self.twoClients, clients: "  acme:\n    markup: 1%\n    campaigns: [alpha-markera]\n  globex:\n    markup: 1%\n    campaigns: [b, Alpha-MARKERA]")
        }
        #expect(twice?.description.contains("campaign \"Alpha-MARKERA\" is claimed by clients \"acme\" and \"globex\" (on 2026-06-15); a campaign belongs to one client") == true, "\(twice?.description ?? "")")
        // With case_sensitive campaigns they are two campaigns, one per client.
        let run = try Self.run(
            Self.twoClients, clients: "  acme:\n    markup: 1%\n    campaigns: [alpha-markera]\n  globex:\n    markup: 1%\n    campaigns: [alpha-MARKERA]",
            extra: "case_sensitive: [campaign]")
        #expect(run.result.summary.clientPacks.map(\.underlying) == [.zero, Money("3.75")!])
        let value = #expect(throws: UnitCostError.self) {
            try Self.run(Self.twoClients, clients: "  acme:\n    markup: 1%\n    client: [Beta Corp]\n  globex:\n    markup: 1%\n    client: [beta corp]")
        }
        #expect(value?.description.contains("client value \"beta corp\" is claimed by clients \"acme\" and \"globex\"") == true, "\(value?.description ?? "")")
    }
}
