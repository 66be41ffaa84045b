import Foundation
import Testing
import UnitCost

/// Export folders built in temporary folders: tiny placeholder files stand in for billing data, since
/// the layout is read from paths and manifests only.
@Suite struct ExportLayoutTests {
    /// A temporary folder holding `files` (relative path → contents).
    static func tree(_ files: [String: String]) throws -> String {
        let root = try TestPaths.temporaryFolder()
        for (path, text) in files { try TestPaths.write(text, to: root + "/" + path) }
        return root
    }

    static func touch(_ path: String, _ seconds: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: path)
    }

    static func resolve(_ entries: [String], in root: String, latest: Bool = false) throws -> ExportLayout.Resolution {
        try ExportLayout.resolveDetailed(entries, relativeTo: root, latestRefresh: latest)
    }

    static func error(_ entries: [String], in root: String, latest: Bool = false) -> String? {
        do {
            _ = try ExportLayout.resolve(entries, relativeTo: root, latestRefresh: latest)
            return nil
        } catch {
            return error.description
        }
    }

    /// A CUR 2.0 manifest as Data Exports writes it: full S3 URIs under another bucket and prefix.
    static func dataExportsManifest(_ keys: [String], execution: String = "exec-1") -> String {
        let uris = keys.map { "\"s3://billing-bucket/exports/\($0)\"" }.joined(separator: ",")
        return #"{"executionId":"\#(execution)","exportArn":"arn:aws:bcm-data-exports:us-east-1:111122223333:export/costs-x","columns":[],"dataFiles":[\#(uris)]}"#
    }

    /// A legacy manifest: `assemblyId` and bucket-relative `reportKeys`.
    static func legacyManifest(_ assembly: String, _ keys: [String]) -> String {
        let list = keys.map { "\"report/path/\($0)\"" }.joined(separator: ",")
        return #"{"assemblyId":"\#(assembly)","account":"111122223333","reportName":"hourly","billingPeriod":{"start":"20260601T000000.000Z","end":"20260701T000000.000Z"},"bucket":"billing-bucket","reportKeys":[\#(list)]}"#
    }

    // MARK: Globs

    @Test func doubleStarMatchesAnyNumberOfFoldersIncludingNone() throws {
        let root = try Self.tree([
            "cur/a.csv": "", "cur/x/b.csv.gz": "", "cur/x/y/c.parquet": "", "cur/x/y/d.csv": "",
            "cur/.hidden/e.csv": "", "cur/x/.f.csv": "", "other/g.csv": "",
        ])
        let csv = try Self.resolve(["cur/**/*.csv"], in: root).sources.map(\.display)
        #expect(csv == ["cur/a.csv", "cur/x/y/d.csv"])
        let all = try Self.resolve(["cur/**/*.csv.gz", "cur/**/*.parquet", "cur/**/d.csv"], in: root).sources.map(\.display)
        #expect(all == ["cur/x/b.csv.gz", "cur/x/y/c.parquet", "cur/x/y/d.csv"])
        let everything = try Self.resolve(["**/*.csv"], in: root).sources.map(\.display)
        #expect(everything == ["cur/a.csv", "cur/x/y/d.csv", "other/g.csv"])
    }

    @Test func starQuestionMarkAndBracketsStayInOneFolderAndSkipHiddenNames() throws {
        let root = try Self.tree(["cur/a.csv": "", "cur/b.csv": "", "cur/ab.csv": "", "cur/.c.csv": "", "cur/x/d.csv": ""])
        #expect(try Self.resolve(["cur/*.csv"], in: root).sources.map(\.display) == ["cur/a.csv", "cur/ab.csv", "cur/b.csv"])
        #expect(try Self.resolve(["cur/?.csv"], in: root).sources.map(\.display) == ["cur/a.csv", "cur/b.csv"])
        #expect(try Self.resolve(["cur/[!a].csv"], in: root).sources.map(\.display) == ["cur/b.csv"])
        #expect(try Self.resolve(["cur/.*.csv"], in: root).sources.map(\.display) == ["cur/.c.csv"])
    }

    @Test func eachFileIsReadOnceInTheOrderTheEntriesNameThem() throws {
        let root = try Self.tree(["cur/a.csv": "", "cur/b.csv": "", "extra/z.csv": ""])
        let sources = try Self.resolve(["extra/z.csv", "cur/*.csv", "cur/a.csv", "./cur/../cur/b.csv"], in: root).sources
        #expect(sources.map(\.display) == ["extra/z.csv", "cur/a.csv", "cur/b.csv"])
        #expect(sources[0].path == root + "/extra/z.csv")
        #expect(sources.allSatisfy { $0.export == nil && $0.billingPeriod == nil && $0.refresh == nil })
    }

    @Test func aFileOutsideTheConfigFolderIsShownAbsolute() throws {
        let root = try Self.tree(["config/unitcost.yaml": "", "data/june.csv": ""])
        let sources = try ExportLayout.resolve(["../data/june.csv"], relativeTo: root + "/config", latestRefresh: false)
        #expect(sources.map(\.display) == [root + "/data/june.csv"])
    }

    @Test func entriesThatNameNothingAreErrorsNamingTheEntry() throws {
        let root = try Self.tree(["cur/a.csv": ""])
        #expect(Self.error(["nope.csv"], in: root) == #"billing "nope.csv" matches no file (paths are relative to the config's folder)"#)
        #expect(Self.error(["cur/*.csv.gz"], in: root) == #"billing pattern "cur/*.csv.gz" matches no file (paths are relative to the config's folder)"#)
        #expect(Self.error(["cur/**/*.parquet"], in: root) == #"billing pattern "cur/**/*.parquet" matches no file (paths are relative to the config's folder)"#)
    }

    // MARK: Side files

    @Test func exportSideFilesAreSkippedAndOtherFilesRefused() throws {
        let root = try Self.tree([
            "exp/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz": "",
            "exp/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json": "{}",
            "exp/costs/cost_and_usage_data_status/cost_and_usage_data_status.parquet": "",
            "exp/aws-programmatic-access-test-object": "",
            "exp/costs/costs-create-table.sql": "", "exp/costs/crawler-cfn.yml": "", "exp/costs/x.yaml": "",
            "exp/.DS_Store": "",
        ])
        let sources = try Self.resolve(["exp/**"], in: root).sources
        #expect(sources.map(\.display) == ["exp/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz"])
        #expect(Self.error(["exp/**/*.json"], in: root) == #"billing pattern "exp/**/*.json" matches only export side files, no billing file"#)

        try TestPaths.write("", to: root + "/exp/costs/notes.txt")
        let message = "billing exp/costs/notes.txt is neither billing data (.csv, .csv.gz, .parquet) nor a known export side file"
        #expect(Self.error(["exp/**"], in: root) == message)
        #expect(Self.error(["exp"], in: root) == message)
        #expect(Self.error(["exp/costs/notes.txt"], in: root) == message)
        #expect(Self.error(["exp/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json"], in: root)
            == "billing exp/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json is an export side file, not billing data; name its export folder instead")
        try TestPaths.write("", to: root + "/old/costs.csv.zip")
        #expect(Self.error(["old/*"], in: root)?.contains("billing old/costs.csv.zip is neither billing data") == true)
    }

    @Test func aFolderWithoutExportLayoutYieldsAllItsBillingFiles() throws {
        let root = try Self.tree(["bills/may.csv": "", "bills/2026/june.csv.gz": "", "bills/.git/x.csv": "", "bills/cfn.yml": ""])
        let sources = try Self.resolve(["bills"], in: root).sources
        #expect(sources.map(\.display) == ["bills/2026/june.csv.gz", "bills/may.csv"])
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        #expect(Self.error(["empty/"], in: root) == "billing folder empty holds no billing file")
    }

    @Test func aGlobThatMatchesOnlyFoldersResolvesEachAsAFolder() throws {
        let root = try Self.tree([
            "cur/a/data/BILLING_PERIOD=2026-05/a-00001.csv.gz": "",
            "cur/b/data/BILLING_PERIOD=2026-06/b-00001.csv.gz": "",
        ])
        let sources = try Self.resolve(["cur/*"], in: root).sources
        #expect(sources.map(\.export) == ["a", "b"])
        #expect(sources.map(\.billingPeriod) == ["2026-05", "2026-06"])
    }

    // MARK: CUR 2.0 Data Exports

    @Test func dataExportsOverwriteLayoutReadsWhatEachManifestLists() throws {
        let root = try Self.tree([
            "cur/costs/data/BILLING_PERIOD=2026-05/costs-00001.csv.gz": "",
            "cur/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz": "",
            "cur/costs/data/BILLING_PERIOD=2026-06/costs-00002.csv.gz": "",
            // Left over from a refresh that needed three chunks; the manifest no longer lists it.
            "cur/costs/data/BILLING_PERIOD=2026-06/costs-00003.csv.gz": "",
            "cur/costs/metadata/BILLING_PERIOD=2026-05/costs-Manifest.json":
                Self.dataExportsManifest(["costs/data/BILLING_PERIOD=2026-05/costs-00001.csv.gz"], execution: "e-may"),
            "cur/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json":
                Self.dataExportsManifest(
                    ["costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz", "costs/data/BILLING_PERIOD=2026-06/costs-00002.csv.gz"],
                    execution: "e-june"),
        ])
        let resolution = try Self.resolve(["cur"], in: root)
        #expect(resolution.sources.map(\.display) == [
            "cur/costs/data/BILLING_PERIOD=2026-05/costs-00001.csv.gz",
            "cur/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz",
            "cur/costs/data/BILLING_PERIOD=2026-06/costs-00002.csv.gz",
        ])
        #expect(resolution.sources.map(\.export) == ["costs", "costs", "costs"])
        #expect(resolution.sources.map(\.billingPeriod) == ["2026-05", "2026-06", "2026-06"])
        #expect(resolution.sources.map(\.refresh) == ["e-may", "e-june", "e-june"])
        #expect(resolution.dropped.map(\.description) == [
            "cur/costs/data/BILLING_PERIOD=2026-06/costs-00003.csv.gz: not listed in the manifest cur/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json"
        ])
    }

    @Test func dataExportsOverwriteLayoutWithoutManifestReadsEveryChunk() throws {
        let root = try Self.tree([
            "cur/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz": "",
            "cur/costs/data/BILLING_PERIOD=2026-06/costs-00002.csv.gz": "",
        ])
        let resolution = try Self.resolve(["cur/costs/data/BILLING_PERIOD=2026-06"], in: root)
        #expect(resolution.sources.count == 2)
        #expect(resolution.sources.allSatisfy { $0.export == "costs" && $0.billingPeriod == "2026-06" && $0.refresh == nil })
        #expect(resolution.dropped.isEmpty)
    }

    static let older = "20260610T031500Z-1b2c3d4e-0000-4000-8000-000000000001"
    static let newer = "20260615T031500Z-9f8e7d6c-0000-4000-8000-000000000002"

    static func createNew(manifest: Bool) throws -> String {
        let period = "cur/costs/data/BILLING_PERIOD=2026-06/"
        var files = [
            period + older + "/costs-00001.csv.gz": "old", period + older + "/costs-00002.csv.gz": "old",
            period + newer + "/costs-00001.csv.gz": "new",
            "cur/costs/metadata/BILLING_PERIOD=2026-06/\(older)/costs-Manifest.json": "{}",
        ]
        if manifest {
            files["cur/costs/metadata/BILLING_PERIOD=2026-06/Manifest.json"] =
                dataExportsManifest(["costs/data/BILLING_PERIOD=2026-06/\(newer)/costs-00001.csv.gz"], execution: "9f8e7d6c")
            files["cur/costs/metadata/BILLING_PERIOD=2026-06/\(newer)/costs-Manifest.json"] = "{}"
        }
        let root = try tree(files)
        // The older refresh was copied last: modification times must not decide.
        try touch(root + "/" + period + older + "/costs-00001.csv.gz", 2_000_000_000)
        try touch(root + "/" + period + newer + "/costs-00001.csv.gz", 1_000_000_000)
        return root
    }

    @Test(arguments: [true, false])
    func dataExportsCreateNewLayoutReadsOnlyTheLatestRefresh(manifest: Bool) throws {
        let root = try Self.createNew(manifest: manifest)
        let resolution = try Self.resolve(["cur/"], in: root)
        #expect(resolution.sources.map(\.display) == ["cur/costs/data/BILLING_PERIOD=2026-06/\(Self.newer)/costs-00001.csv.gz"])
        #expect(resolution.sources.map(\.refresh) == [Self.newer])
        #expect(resolution.sources.map(\.export) == ["costs"])
        let reason = manifest
            ? "older refresh of export costs for 2026-06: the manifest cur/costs/metadata/BILLING_PERIOD=2026-06/Manifest.json names refresh \(Self.newer)"
            : "older refresh of export costs for 2026-06 than cur/costs/data/BILLING_PERIOD=2026-06/\(Self.newer)"
        #expect(resolution.dropped == [.init(path: "cur/costs/data/BILLING_PERIOD=2026-06/\(Self.older)", reason: reason)])
    }

    @Test func aCopyOfTheDataFolderAloneStillReadsOneRefresh() throws {
        let root = try Self.tree([
            "june/BILLING_PERIOD=2026-06/\(Self.older)/costs-00001.csv.gz": "",
            "june/BILLING_PERIOD=2026-06/\(Self.newer)/costs-00001.csv.gz": "",
        ])
        let sources = try Self.resolve(["june"], in: root).sources
        #expect(sources.map(\.refresh) == [Self.newer])
        #expect(sources.map(\.export) == ["june"])
    }

    @Test func theManifestDecidesEvenAgainstFolderNames() throws {
        let root = try Self.createNew(manifest: false)
        try TestPaths.write(
            Self.dataExportsManifest([
                "costs/data/BILLING_PERIOD=2026-06/\(Self.older)/costs-00001.csv.gz",
                "costs/data/BILLING_PERIOD=2026-06/\(Self.older)/costs-00002.csv.gz",
            ]), to: root + "/cur/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json")
        let sources = try Self.resolve(["cur/costs"], in: root).sources
        #expect(sources.map(\.refresh) == [Self.older, Self.older])
    }

    @Test func aManifestListingAMissingFileIsAnError() throws {
        let root = try Self.tree([
            "cur/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz": "",
            "cur/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json": Self.dataExportsManifest([
                "costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz", "costs/data/BILLING_PERIOD=2026-06/costs-00002.csv.gz",
            ]),
        ])
        #expect(Self.error(["cur"], in: root)
            == "billing manifest cur/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json lists cur/costs/data/BILLING_PERIOD=2026-06/costs-00002.csv.gz, which is missing (an incomplete copy of the export would undercount)")
        try TestPaths.write("{\"dataFiles\": 3}", to: root + "/cur/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json")
        #expect(Self.error(["cur"], in: root)
            == "billing manifest cur/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json has no dataFiles list")
        try TestPaths.write("not json", to: root + "/cur/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json")
        #expect(Self.error(["cur"], in: root)
            == "billing manifest cur/costs/metadata/BILLING_PERIOD=2026-06/costs-Manifest.json is not a json object")
    }

    // MARK: Legacy CUR

    static let assemblyA = "aa1ddccb-abcd-1234-b849-57a32b6864a9"
    static let assemblyB = "0f3e2a10-9999-4321-a111-000000000000"

    @Test func legacyLayoutReadsTheAssemblyTheManifestNames() throws {
        let period = "legacy/hourly/20260601-20260701/"
        let root = try Self.tree([
            period + Self.assemblyA + "/hourly-1.csv.gz": "", period + Self.assemblyA + "/hourly-2.csv.gz": "",
            period + Self.assemblyA + "/hourly-Manifest.json": "{}",
            period + Self.assemblyA + "/hourly-RedshiftManifest.json": "{}",
            period + Self.assemblyA + "/hourly-RedshiftCommands.sql": "",
            period + Self.assemblyB + "/hourly-1.csv.gz": "", period + Self.assemblyB + "/hourly-Manifest.json": "{}",
            // Always the latest: names assembly A, though B sorts first and is newer on disk.
            period + "hourly-Manifest.json": Self.legacyManifest(Self.assemblyA, [
                "hourly/20260601-20260701/\(Self.assemblyA)/hourly-1.csv.gz", "hourly/20260601-20260701/\(Self.assemblyA)/hourly-2.csv.gz",
            ]),
        ])
        try Self.touch(root + "/" + period + Self.assemblyB + "/hourly-1.csv.gz", 2_000_000_000)
        let resolution = try Self.resolve(["legacy"], in: root)
        #expect(resolution.sources.map(\.display) == [
            period + Self.assemblyA + "/hourly-1.csv.gz", period + Self.assemblyA + "/hourly-2.csv.gz",
        ])
        #expect(resolution.sources.allSatisfy { $0.export == "hourly" && $0.billingPeriod == "2026-06" && $0.refresh == Self.assemblyA })
        #expect(resolution.dropped.map(\.path) == ["legacy/hourly/20260601-20260701/" + Self.assemblyB])
        #expect(resolution.dropped[0].reason.hasPrefix("older refresh of report hourly for 2026-06: the manifest"))
    }

    @Test func legacyAssembliesWithoutManifestAreToldApartByModificationTime() throws {
        let period = "legacy/hourly/20260601-20260630/"
        let root = try Self.tree([
            period + Self.assemblyA + "/hourly-1.csv.gz": "", period + Self.assemblyB + "/hourly-1.csv.gz": "",
        ])
        try Self.touch(root + "/" + period + Self.assemblyA + "/hourly-1.csv.gz", 1_000_000_000)
        try Self.touch(root + "/" + period + Self.assemblyB + "/hourly-1.csv.gz", 1_500_000_000)
        let sources = try Self.resolve(["legacy/hourly"], in: root).sources
        #expect(sources.map(\.refresh) == [Self.assemblyB])
        #expect(sources.map(\.billingPeriod) == ["2026-06"])

        try Self.touch(root + "/" + period + Self.assemblyA + "/hourly-1.csv.gz", 1_500_000_000)
        #expect(Self.error(["legacy/hourly"], in: root)
            == "billing \(period)\(Self.assemblyB) and \(period)\(Self.assemblyA) both hold billing period 2026-06 and their files are equally recent, so the newest cannot be told; name one of them")
    }

    @Test func legacyOverwriteLayoutTakesTheAssemblyIdFromTheManifest() throws {
        let period = "legacy/daily/20260501-20260601/"
        let root = try Self.tree([
            period + "daily-1.csv.gz": "", period + "daily-2.csv.gz": "",
            period + "daily-Manifest.json": Self.legacyManifest(Self.assemblyA, [
                "daily/20260501-20260601/daily-1.csv.gz", "daily/20260501-20260601/daily-2.csv.gz",
            ]),
        ])
        let sources = try Self.resolve(["legacy/daily/20260501-20260601"], in: root).sources
        #expect(sources.map(\.display) == [period + "daily-1.csv.gz", period + "daily-2.csv.gz"])
        #expect(sources.allSatisfy { $0.export == "daily" && $0.billingPeriod == "2026-05" && $0.refresh == Self.assemblyA })
    }

    @Test func legacyAthenaLayoutGivesReportAndPeriod() throws {
        let root = try Self.tree([
            "athena/costs/costs/year=2026/month=6/costs-00001.snappy.parquet": "",
            "athena/costs/cost_and_usage_data_status/cost_and_usage_data_status.parquet": "",
            "athena/costs/costs/costs-create-table.sql": "", "athena/costs/crawler-cfn.yml": "",
        ])
        let sources = try Self.resolve(["athena"], in: root).sources
        #expect(sources.map(\.display) == ["athena/costs/costs/year=2026/month=6/costs-00001.snappy.parquet"])
        #expect(sources.map(\.billingPeriod) == ["2026-06"])
        #expect(sources.map(\.export) == ["costs"])
    }

    // MARK: Empty chunks

    /// A gzip member of an empty stream, as an emptied chunk may be written.
    static let emptyGzip = Data([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0])

    @Test func emptyChunkFilesAreKept() throws {
        let period = "cur/costs/data/BILLING_PERIOD=2026-06/\(Self.newer)/"
        let root = try Self.tree([
            period + "costs-00001.csv.gz": "x",
            "cur/costs/metadata/BILLING_PERIOD=2026-06/Manifest.json": Self.dataExportsManifest([
                "costs/data/BILLING_PERIOD=2026-06/\(Self.newer)/costs-00001.csv.gz",
                "costs/data/BILLING_PERIOD=2026-06/\(Self.newer)/costs-00002.csv.gz",
                "costs/data/BILLING_PERIOD=2026-06/\(Self.newer)/costs-00003.csv",
            ]),
        ])
        try Self.emptyGzip.write(to: URL(fileURLWithPath: root + "/" + period + "costs-00002.csv.gz"))
        #expect(FileManager.default.createFile(atPath: root + "/" + period + "costs-00003.csv", contents: Data()))
        let expected = ["costs-00001.csv.gz", "costs-00002.csv.gz", "costs-00003.csv"].map { period + $0 }
        #expect(try Self.resolve(["cur"], in: root).sources.map(\.display) == expected)
        #expect(try Self.resolve(["cur/**/costs-*"], in: root).sources.map(\.display) == expected)
    }

    // MARK: Conflicts

    @Test func twoRefreshesNamedExplicitlyAreAnErrorNamingBoth() throws {
        let root = try Self.createNew(manifest: true)
        let period = "cur/costs/data/BILLING_PERIOD=2026-06/"
        let message = "billing \(period)\(Self.older) and \(period)\(Self.newer) are two refreshes of export costs for billing period 2026-06, which would double count; name one of them, or pass --latest-refresh to read the newest"
        // Two globs, one per refresh folder.
        #expect(Self.error([period + Self.older + "/*.csv.gz", period + Self.newer + "/*.csv.gz"], in: root) == message)
        // One glob across both.
        #expect(Self.error(["cur/**/*.csv.gz"], in: root) == message)
        // Two folders: a refresh folder is read as it is, whatever the manifest says.
        #expect(Self.error([period + Self.older, "cur/costs"], in: root) == message)
        // One refresh named on its own is fine, old or not.
        #expect(try Self.resolve([period + Self.older], in: root).sources.count == 2)
    }

    @Test func latestRefreshKeepsTheNewestAndReportsTheOthers() throws {
        let root = try Self.createNew(manifest: true)
        let period = "cur/costs/data/BILLING_PERIOD=2026-06/"
        let resolution = try Self.resolve([period + Self.older, period + Self.newer + "/*.csv.gz"], in: root, latest: true)
        #expect(resolution.sources.map(\.display) == [period + Self.newer + "/costs-00001.csv.gz"])
        #expect(resolution.dropped == [.init(path: period + Self.older,
            reason: "billing period 2026-06 is read from \(period)\(Self.newer), the newest refresh (--latest-refresh)")])
    }

    static func twoExports() throws -> String {
        let root = try tree([
            "cur/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz": "",
            "cur/costs/data/BILLING_PERIOD=2026-05/costs-00001.csv.gz": "",
            "legacy/hourly/20260601-20260701/hourly-1.csv.gz": "",
        ])
        try touch(root + "/cur/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz", 1_800_000_000)
        try touch(root + "/legacy/hourly/20260601-20260701/hourly-1.csv.gz", 1_700_000_000)
        return root
    }

    @Test func twoExportsForOnePeriodAreAnErrorNamingBoth() throws {
        let root = try Self.twoExports()
        #expect(Self.error(["cur", "legacy"], in: root)
            == "billing cur/costs/data/BILLING_PERIOD=2026-06 (export costs) and legacy/hourly/20260601-20260701 (report hourly) both hold billing period 2026-06, which would double count; name one of them, or pass --latest-refresh to read the newest")
        // Two copies of one export count twice just the same.
        try FileManager.default.copyItem(atPath: root + "/cur", toPath: root + "/copy")
        #expect(Self.error(["cur/costs/data/BILLING_PERIOD=2026-05", "copy"], in: root)
            == "billing copy/costs/data/BILLING_PERIOD=2026-05 (export costs) and cur/costs/data/BILLING_PERIOD=2026-05 (export costs) both hold billing period 2026-05, which would double count; name one of them, or pass --latest-refresh to read the newest")
    }

    @Test func latestRefreshResolvesTwoExportsByTheNewerFiles() throws {
        let root = try Self.twoExports()
        let resolution = try Self.resolve(["legacy", "cur"], in: root, latest: true)
        #expect(resolution.sources.map(\.display) == [
            "cur/costs/data/BILLING_PERIOD=2026-05/costs-00001.csv.gz", "cur/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz",
        ])
        #expect(resolution.dropped.map(\.path) == ["legacy/hourly/20260601-20260701"])
        #expect(try ExportLayout.resolve(["legacy", "cur"], relativeTo: root, latestRefresh: true) == resolution.sources)
    }
}
