// What the user names under `billing:` becomes the exact list of files to read. A billing period must be
// read from exactly one refresh of one export: S3 keeps every refresh in create-new mode, and reading two
// of them (or a CUR 2.0 export and a legacy report of the same month) silently doubles the cost. So the
// layout is read from the path alone (never the file headers): which export, which billing period, which
// refresh folder. An export folder yields the latest refresh of each period, as its manifest says; files
// named explicitly are taken as they are, and two refreshes of one period among them are an error unless
// `--latest-refresh` picks the newest. docs/formats/export-folders.md describes the layouts.

import Foundation

/// Resolves what the config names under `billing:`, a file, a glob or an export folder, into the
/// billing files to read, following the S3 layouts of CUR 2.0 Data Exports and legacy CUR.
///
/// - A path without wildcards names one file, or a folder.
/// - A glob (`*`, `?`, `[…]`, `**`) names its matching files. Known export side files (manifests,
///   `cost_and_usage_data_status`, `aws-programmatic-access-test-object`, `.sql`, `.yml`, `.yaml`,
///   `.csv.metadata`, `.DS_Store`) are passed over; any other file that is not `.csv`, `.csv.gz` or
///   `.parquet` is an error. A glob that matches only folders resolves each as a folder.
/// - A folder is walked (hidden names skipped) and each billing period of each export in it is read
///   from its latest refresh: the files the period's manifest lists when there is one, else the newest
///   refresh folder. A folder inside one refresh folder is read as it is.
///
/// Afterwards each billing period must come from one refresh folder of one export; two are an error
/// naming both, unless `latestRefresh` keeps the newest and reports the others as dropped.
///
/// ```swift
/// let files = try ExportLayout.resolve(["cur/"], relativeTo: "/work/project", latestRefresh: false)
/// ```
public enum ExportLayout {
    /// The files to read and what was left out.
    public struct Resolution: Hashable, Sendable {
        /// The billing files, in the order the entries name them, each once.
        public var sources: [BillingSource]
        /// Refresh folders and files that were found but not taken, with why.
        public var dropped: [Dropped]

        /// Creates a resolution.
        public init(sources: [BillingSource], dropped: [Dropped]) {
            self.sources = sources
            self.dropped = dropped
        }
    }

    /// A refresh folder or file that was found but not taken.
    public struct Dropped: Hashable, Sendable, CustomStringConvertible {
        /// The folder or file, shown as `BillingSource.display` is.
        public var path: String
        /// Why it was left out, as a lower-case phrase.
        public var reason: String

        /// Creates a record of something left out.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }

        /// `cur/costs/data/BILLING_PERIOD=2026-06/20260601T0312Z-a1: older refresh of export costs …`.
        public var description: String { "\(path): \(reason)" }
    }

    /// The billing files `entries` name, relative paths taken from `directory` (the config's folder).
    ///
    /// Throws `UnitCostError.input` for an entry that names nothing, a file that is not billing data,
    /// an unreadable manifest or one listing a missing file, and one billing period found in two
    /// refreshes or two exports (unless `latestRefresh`).
    public static func resolve(_ entries: [String], relativeTo directory: String, latestRefresh: Bool) throws(UnitCostError)
        -> [BillingSource]
    {
        try resolveDetailed(entries, relativeTo: directory, latestRefresh: latestRefresh).sources
    }

    /// `resolve(_:relativeTo:latestRefresh:)`, also saying which refreshes and files were left out.
    public static func resolveDetailed(_ entries: [String], relativeTo directory: String, latestRefresh: Bool)
        throws(UnitCostError) -> Resolution
    {
        var resolver = Resolver(directory: absolute(directory))
        for entry in entries { try resolver.add(entry) }
        return try resolver.finish(latestRefresh: latestRefresh)
    }

    /// True for objects an S3 export folder holds beside its data: manifests, status tables, access
    /// probes, Athena and Redshift helpers, Finder litter.
    static func isSideFile(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard let name = parts.last.map(String.init) else { return false }
        let parent = parts.count > 1 ? String(parts[parts.count - 2]) : ""
        if name.hasSuffix("Manifest.json") || name == "aws-programmatic-access-test-object" || name == ".DS_Store" {
            return true
        }
        if name.hasPrefix("cost_and_usage_data_status") || parent.hasPrefix("cost_and_usage_data_status") { return true }
        let lower = name.lowercased()
        return [".sql", ".yml", ".yaml", ".csv.metadata"].contains { lower.hasSuffix($0) }
    }

    /// True for the file kinds SPEC §3.1 reads: `.csv`, `.csv.gz`, `.parquet` (`.snappy.parquet`).
    static func isBillingFile(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") || lower.hasSuffix(".parquet")
    }

    private static func absolute(_ path: String) -> String {
        standardized(path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
    }

    fileprivate static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardized.path
    }
}

// MARK: - Where a file sits in an export layout

extension ExportLayout {
    /// The S3 layouts told apart by their folder names.
    fileprivate enum Layout {
        /// `<export>/data/BILLING_PERIOD=2026-06/[<timestamp>-<execution-id>/]<export>-00001.csv.gz`.
        case dataExports
        /// `<report>/20260601-20260701/[<assemblyId>/]<report>-1.csv.gz`.
        case legacy
        /// `<report>/<report>/year=2026/month=6/<report>-00001.snappy.parquet` (legacy for Athena).
        case legacyAthena
    }

    /// What a data file's path says: export, billing period and refresh folder.
    fileprivate struct Place: Hashable {
        var layout: Layout
        /// The export (or report) folder on disk.
        var root: String
        var export: String
        /// `2026-06`.
        var period: String
        /// `<root>/data/BILLING_PERIOD=2026-06`, `<root>/20260601-20260701` or `…/year=2026/month=6`.
        var periodFolder: String
        /// The folder between the period folder and the file: a create-new refresh.
        var refresh: String?

        /// The folder that holds one refresh: the refresh folder, or the period folder in overwrite mode.
        var refreshFolder: String { refresh.map { periodFolder + "/" + $0 } ?? periodFolder }

        /// `export costs` or `report costs`.
        var exportLabel: String { (layout == .dataExports ? "export " : "report ") + export }

        /// The place of an absolute, standardized file path; nil outside any layout. The deepest period
        /// folder on the path decides.
        init?(file: String) {
            let dirs = file.split(separator: "/").dropLast().map(String.init)
            for i in dirs.indices.reversed() {
                var found: (layout: Layout, period: String, exportIndex: Int)?
                if i >= 1, let period = Self.dataExportsPeriod(dirs[i]) {
                    // `<export>/data/BILLING_PERIOD=…`, or a copy of the data folder alone (`june/BILLING_PERIOD=…`),
                    // whose create-new refreshes must still not add up.
                    found = (.dataExports, period, i >= 2 && dirs[i - 1] == "data" ? i - 2 : i - 1)
                } else if i >= 1, let period = Self.legacyPeriod(dirs[i]) {
                    found = (.legacy, period, i - 1)
                } else if i >= 2, let period = Self.athenaPeriod(year: dirs[i - 1], month: dirs[i]) {
                    found = (.legacyAthena, period, i - 2)
                }
                guard let found else { continue }
                layout = found.layout
                period = found.period
                export = dirs[found.exportIndex]
                root = "/" + dirs[...found.exportIndex].joined(separator: "/")
                periodFolder = "/" + dirs[...i].joined(separator: "/")
                refresh = i + 1 < dirs.count && layout != .legacyAthena ? dirs[i + 1] : nil
                return
            }
            return nil
        }

        /// `BILLING_PERIOD=2026-06` → `2026-06`.
        static func dataExportsPeriod(_ name: String) -> String? {
            guard name.hasPrefix("BILLING_PERIOD=") else { return nil }
            let value = name.dropFirst("BILLING_PERIOD=".count)
            let parts = value.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, parts.allSatisfy(Self.isDigits),
                let year = Int(parts[0]), let month = Int(parts[1]), year > 0, (1...12).contains(month)
            else { return nil }
            return String(value)
        }

        /// `20260601-20260701` (or `…-20260630`, both seen) → `2026-06`.
        static func legacyPeriod(_ name: String) -> String? {
            let parts = name.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 8 && Self.isDigits($0) }),
                parts[0] < parts[1], let month = Int(parts[0].dropFirst(4).prefix(2)), (1...12).contains(month)
            else { return nil }
            return "\(parts[0].prefix(4))-\(parts[0].dropFirst(4).prefix(2))"
        }

        static func isDigits(_ text: Substring) -> Bool {
            !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
        }

        /// `year=2026`, `month=6` → `2026-06`.
        static func athenaPeriod(year: String, month: String) -> String? {
            guard year.hasPrefix("year="), month.hasPrefix("month="), year.count == 9,
                Self.isDigits(year.dropFirst(5)), Self.isDigits(month.dropFirst(6)), (7...8).contains(month.count),
                let y = Int(year.dropFirst(5)), let m = Int(month.dropFirst(6)), y > 0, (1...12).contains(m)
            else { return nil }
            return "\(year.dropFirst(5))-" + (m < 10 ? "0\(m)" : "\(m)")
        }
    }

    /// A file to read, its place and (from a manifest) its refresh id.
    fileprivate struct Candidate {
        var path: String
        var place: Place?
        var manifestRefresh: String?

        init(path: String, manifestRefresh: String? = nil) {
            self.path = path
            self.place = Place(file: path)
            self.manifestRefresh = manifestRefresh
        }
    }

    /// The files of one refresh folder.
    fileprivate struct Refresh {
        var folder: String
        var place: Place
        var files: [Candidate]

        /// Groups placed candidates by refresh folder, sorted by folder.
        static func group(_ candidates: [Candidate]) -> [Refresh] {
            var byFolder: [String: Refresh] = [:]
            for candidate in candidates {
                guard let place = candidate.place else { continue }
                byFolder[place.refreshFolder, default: Refresh(folder: place.refreshFolder, place: place, files: [])]
                    .files.append(candidate)
            }
            return byFolder.values.sorted { $0.folder < $1.folder }
        }

        /// The latest modification time of its files (S3 LastModified after `aws s3 sync`).
        var modified: Date {
            files.compactMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.modificationDate] as? Date }
                .max() ?? .distantPast
        }
    }
}

// MARK: - Resolving the entries

extension ExportLayout {
    fileprivate struct Resolver {
        /// The config's folder, absolute and standardized.
        let directory: String
        var candidates: [Candidate] = []
        var dropped: [Dropped] = []

        init(directory: String) { self.directory = directory }

        func display(_ path: String) -> String {
            let prefix = directory == "/" ? "/" : directory + "/"
            return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
        }

        /// Adds what one `billing:` entry names.
        mutating func add(_ entry: String) throws(UnitCostError) {
            let full = entry.hasPrefix("/") ? entry : directory + "/" + entry
            guard Glob.hasWildcards(entry) else {
                let path = ExportLayout.standardized(full)
                guard FileManager.default.fileExists(atPath: path) else {
                    throw .input("billing \"\(entry)\" matches no file (paths are relative to the config's folder)")
                }
                if Glob.isFolder(path) { return try addFolder(path) }
                if ExportLayout.isSideFile(path) {
                    throw .input("billing \(display(path)) is an export side file, not billing data; name its export folder instead")
                }
                guard ExportLayout.isBillingFile(path) else { throw notBillingData(path) }
                candidates.append(Candidate(path: path))
                return
            }
            let matches = Glob.expand(full).map(ExportLayout.standardized)
            guard !matches.isEmpty else { throw .input("billing pattern \"\(entry)\" matches no file (paths are relative to the config's folder)") }
            let files = matches.filter { !Glob.isFolder($0) }
            if files.isEmpty {
                for folder in matches { try addFolder(folder) }
                return
            }
            var found = false
            for file in files where try accepts(file) {
                candidates.append(Candidate(path: file))
                found = true
            }
            guard found else {
                throw .input("billing pattern \"\(entry)\" matches only export side files, no billing file")
            }
        }

        /// True for billing data, false for a known side file; an error for anything else.
        func accepts(_ path: String) throws(UnitCostError) -> Bool {
            if ExportLayout.isSideFile(path) { return false }
            guard ExportLayout.isBillingFile(path) else { throw notBillingData(path) }
            return true
        }

        func notBillingData(_ path: String) -> UnitCostError {
            .input(
                "billing \(display(path)) is neither billing data (.csv, .csv.gz, .parquet) nor a known export side file")
        }

        /// A folder: the latest refresh of each billing period of each export in it; files outside any
        /// layout, or under a refresh folder the user named, as they are.
        mutating func addFolder(_ folder: String) throws(UnitCostError) {
            var asFound: [Candidate] = []
            var byPeriodFolder: [String: [Candidate]] = [:]
            for file in Glob.files(under: folder) where try accepts(file) {
                let candidate = Candidate(path: file)
                if let place = candidate.place, !folder.hasPrefix(place.periodFolder + "/") {
                    byPeriodFolder[place.periodFolder, default: []].append(candidate)
                } else {
                    asFound.append(candidate)
                }
            }
            guard !asFound.isEmpty || !byPeriodFolder.isEmpty else {
                throw .input("billing folder \(display(folder)) holds no billing file")
            }
            var chosen = asFound
            for periodFolder in byPeriodFolder.keys.sorted() {
                chosen += try latest(of: byPeriodFolder[periodFolder] ?? [])
            }
            candidates += chosen.sorted { $0.path < $1.path }
        }

        /// The files of the latest refresh among one period folder's files: the manifest's list when the
        /// period has a manifest, else the newest refresh folder.
        mutating func latest(of files: [Candidate]) throws(UnitCostError) -> [Candidate] {
            guard let place = files.first?.place else { return files }
            let refreshes = Refresh.group(files)
            if let manifest = manifestPath(for: place) {
                let listed = try read(manifest: manifest, place: place)
                let listedPaths = Set(listed.map(\.path))
                let listedFolders = Set(listed.compactMap { $0.place?.refreshFolder })
                let named = listed.first?.place?.refresh ?? listed.first?.manifestRefresh
                for refresh in refreshes where !listedFolders.contains(refresh.folder) {
                    let which = named.map { "names refresh \($0)" } ?? "names other files"
                    let reason = "older refresh of \(place.exportLabel) for \(place.period): the manifest \(display(manifest)) \(which)"
                    dropped.append(Dropped(path: display(refresh.folder), reason: reason))
                }
                let stale = files.filter { listedFolders.contains($0.place?.refreshFolder ?? "") && !listedPaths.contains($0.path) }
                for file in stale {
                    dropped.append(Dropped(path: display(file.path), reason: "not listed in the manifest \(display(manifest))"))
                }
                return listed
            }
            guard refreshes.count > 1 else { return files }
            let newest = try self.newest(refreshes, period: place.period)
            for refresh in refreshes where refresh.folder != newest.folder {
                let reason = "older refresh of \(place.exportLabel) for \(place.period) than \(display(newest.folder))"
                dropped.append(Dropped(path: display(refresh.folder), reason: reason))
            }
            return newest.files
        }

        /// The manifest of the period's latest refresh: `metadata/BILLING_PERIOD=…/` for CUR 2.0, the
        /// date folder for legacy CUR. `<export>-Manifest.json` first, then `Manifest.json`, then any
        /// other `*Manifest.json` (Redshift manifests excepted).
        func manifestPath(for place: Place) -> String? {
            let folder: String
            switch place.layout {
            case .dataExports:
                let partition = place.periodFolder.split(separator: "/").last.map(String.init) ?? ""
                folder = place.root + "/metadata/" + partition
            case .legacy: folder = place.periodFolder
            case .legacyAthena: return nil
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { $0.hasSuffix("Manifest.json") && !$0.contains("Redshift") && !Glob.isFolder(folder + "/" + $0) }
                .sorted()
            let name = [place.export + "-Manifest.json", "Manifest.json"].first(where: names.contains) ?? names.first
            return name.map { folder + "/" + $0 }
        }

        /// The files a manifest lists (`dataFiles` for CUR 2.0, `reportKeys` for legacy), as local paths:
        /// each key's part below the period folder, placed under the local period folder.
        func read(manifest: String, place: Place) throws(UnitCostError) -> [Candidate] {
            let shown = display(manifest)
            guard let data = FileManager.default.contents(atPath: manifest) else {
                throw .input("billing manifest \(shown) cannot be read")
            }
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw .input("billing manifest \(shown) is not a json object")
            }
            let (listKey, idKey) =
                place.layout == .dataExports ? ("dataFiles", "executionId") : ("reportKeys", "assemblyId")
            guard let keys = object[listKey] as? [Any] else {
                throw .input("billing manifest \(shown) has no \(listKey) list")
            }
            let id = object[idKey] as? String
            var listed: [Candidate] = []
            for item in keys {
                guard let key = item as? String else {
                    throw .input("billing manifest \(shown): \(listKey) holds an entry that is not text")
                }
                guard let path = local(key: key, place: place) else {
                    throw .input(
                        "billing manifest \(shown) lists \"\(key)\", which is outside billing period \(place.period) of "
                            + place.exportLabel)
                }
                guard FileManager.default.fileExists(atPath: path) else {
                    throw .input(
                        "billing manifest \(shown) lists \(display(path)), which is missing "
                            + "(an incomplete copy of the export would undercount)")
                }
                guard ExportLayout.isBillingFile(path) else { throw notBillingData(path) }
                listed.append(Candidate(path: path, manifestRefresh: id))
            }
            var seen = Set<String>()
            return listed.filter { seen.insert($0.path).inserted }.sorted { $0.path < $1.path }
        }

        /// `s3://bucket/prefix/costs/data/BILLING_PERIOD=2026-06/r1/costs-00001.csv.gz` →
        /// `<local period folder>/r1/costs-00001.csv.gz`.
        func local(key: String, place: Place) -> String? {
            var key = Substring(key)
            if key.hasPrefix("s3://") {
                key = key.dropFirst(5)
                key = key.firstIndex(of: "/").map { key[key.index(after: $0)...] } ?? ""
            }
            let parts = key.split(separator: "/").map(String.init)
            let anchor = place.periodFolder.split(separator: "/").last.map(String.init) ?? ""
            guard let i = parts.indices.last(where: { i in
                parts[i] == anchor && (place.layout != .dataExports || (i > 0 && parts[i - 1] == "data"))
            }), i + 1 < parts.count
            else { return nil }
            return ExportLayout.standardized(place.periodFolder + "/" + parts[(i + 1)...].joined(separator: "/"))
        }

        /// The newest of several refreshes. Create-new folders of one CUR 2.0 export compare by name, as
        /// their `<timestamp>-<execution-id>` names sort by time; anything else (legacy assembly ids,
        /// overwrite folders, two exports) by the latest modification time of their files.
        func newest(_ refreshes: [Refresh], period: String) throws(UnitCostError) -> Refresh {
            let byName = refreshes.allSatisfy {
                $0.place.layout == .dataExports && $0.place.refresh != nil
                    && $0.place.periodFolder == refreshes[0].place.periodFolder
            }
            if byName, let last = refreshes.max(by: { $0.folder < $1.folder }) { return last }
            let ranked = refreshes.map { ($0, $0.modified) }.sorted { $0.1 > $1.1 }
            if ranked.count > 1, ranked[0].1 == ranked[1].1 {
                let pair = [ranked[0].0.folder, ranked[1].0.folder].sorted().map(display)
                throw .input(
                    "billing \(pair[0]) and \(pair[1]) both hold billing period \(period) and their files are equally "
                        + "recent, so the newest cannot be told; name one of them")
            }
            return ranked[0].0
        }

        /// Each file once; then each billing period from one refresh folder, or an error naming two.
        mutating func finish(latestRefresh: Bool) throws(UnitCostError) -> Resolution {
            var seen = Set<String>()
            let unique = candidates.filter { seen.insert($0.path).inserted }
            let byPeriod = Dictionary(grouping: unique.filter { $0.place != nil }) { $0.place?.period ?? "" }
            var removed = Set<String>()
            for period in byPeriod.keys.sorted() {
                let refreshes = Refresh.group(byPeriod[period] ?? [])
                guard refreshes.count > 1 else { continue }
                guard latestRefresh else { throw conflict(refreshes[0], refreshes[1], period: period) }
                let newest = try self.newest(refreshes, period: period)
                for refresh in refreshes where refresh.folder != newest.folder {
                    removed.formUnion(refresh.files.map(\.path))
                    let reason = "billing period \(period) is read from \(display(newest.folder)), the newest refresh (--latest-refresh)"
                    dropped.append(Dropped(path: display(refresh.folder), reason: reason))
                }
            }
            var shown = Set<Dropped>()
            return Resolution(
                sources: unique.filter { !removed.contains($0.path) }.map(source),
                dropped: dropped.filter { shown.insert($0).inserted })
        }

        func conflict(_ a: Refresh, _ b: Refresh, period: String) -> UnitCostError {
            let advice = "which would double count; name one of them, or pass --latest-refresh to read the newest"
            if a.place.root == b.place.root {
                return .input(
                    "billing \(display(a.folder)) and \(display(b.folder)) are two refreshes of \(a.place.exportLabel) "
                        + "for billing period \(period), \(advice)")
            }
            return .input(
                "billing \(display(a.folder)) (\(a.place.exportLabel)) and \(display(b.folder)) (\(b.place.exportLabel)) "
                    + "both hold billing period \(period), \(advice)")
        }

        func source(_ candidate: Candidate) -> BillingSource {
            BillingSource(
                path: candidate.path, display: display(candidate.path), export: candidate.place?.export,
                billingPeriod: candidate.place?.period, refresh: candidate.place?.refresh ?? candidate.manifestRefresh)
        }
    }
}
