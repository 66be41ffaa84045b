import Foundation
import Yams

/// The run's configuration, read from one YAML file (SPEC §3.5).
///
/// Paths are relative to the config file. Unknown keys are errors that name the key and the nearest
/// valid one; keys the SPEC defines but this version does not implement yet are errors that say so,
/// rather than being silently ignored.
///
/// ```yaml
/// currency: USD
/// cost_basis: net_unblended
/// billing: [cur/2026-06/*.csv.gz]
/// attribution:
///   tags:
///     - {key: iamPrincipal/campaign, dimension: campaign}
///     - {key: resourceTags/campaign, dimension: campaign}
/// ```
public struct Config: Sendable {
    /// The config file as given.
    public var path: String
    /// The folder relative paths start from.
    public var directory: String
    /// SHA-256 of the file's bytes (`config_sha256`).
    public var sha256: String
    /// The report currency (ISO 4217).
    public var currency = "USD"
    /// The cost basis.
    public var costBasis = CostBasis.netUnblended
    /// Time zone for conversion instants (cost days are always UTC).
    public var timezone = "UTC"
    /// Billing inputs: files or glob patterns, relative to `directory`.
    public var billing: [String] = []
    /// Attribution sources in order, per dimension (empty: the default order for every dimension).
    public var attributionOrder: [Dimension: [Attributor.Source]] = [:]
    /// `attribution.session_name` patterns, tried in order.
    public var sessionNamePatterns: [SessionNamePattern] = []
    /// `attribution.principals` and `attribution.accounts` mapping files.
    public var principalsFile: String?
    public var accountsFile: String?
    /// `models`: log model id (or inference profile ARN) → billed model, overriding the matching rule.
    public var models: [String: String] = [:]
    /// `invocation_logs`: NDJSON files or globs of Bedrock model invocation logs.
    public var invocationLogs: [String] = []
    /// `attribution.request_metadata`: invocation-log requestMetadata key → dimension.
    public var requestMetadata: [String: Dimension] = [:]
    /// Tag rules, tried in order.
    public var tags: [TagRule] = []
    /// Show assumed-role session names instead of their hash.
    public var showSessionNames = false
    /// A folder of report templates overriding the default `Templates/`.
    public var templates: String?
    /// Conversion sources, in order (later records win duplicates).
    public var conversionSources: [ConversionSource] = []
    /// The source that feeds cost per conversion; nil means sources add up.
    public var primarySource: String?
    /// `aliases.csv` (dimension,alias,canonical[,source][,from,to]).
    public var aliases: String?
    /// `fx.csv` (date,currency,rate_to_report_currency).
    public var fx: String?
    /// How old an FX rate may be, in days.
    public var fxMaxAgeDays = 7
    /// Rows with fewer conversions are low volume and left out of rankings.
    public var minConversions = Money(5)
    /// Dimensions whose ids keep their case when matched.
    public var caseSensitive: Set<Dimension> = []
    /// `clients:`, the agency view's clients in config order.
    public var clients: [ClientConfig] = []
    /// `finance:`; nil when the config has none (the finance statement then uses the defaults).
    public var finance: FinanceSettings?
    /// `allocation:` rules, in order (SPEC §6.2).
    public var allocation: [AllocationRule] = []

    /// Keys this version reads.
    static let topKeys = [
        "currency", "cost_basis", "timezone", "billing", "attribution", "show_session_names", "templates", "conversions", "aliases", "fx",
        "fx_max_age_days", "min_conversions", "case_sensitive", "invocation_logs", "models", "clients", "finance", "allocation",
    ]
    /// Keys the SPEC defines that later versions read.
    static let plannedTopKeys: [String] = []
    static let attributionKeys = ["order", "tags", "accounts", "session_name", "principals", "request_metadata"]
    static let plannedAttributionKeys: [String] = []

    /// Reads and checks a config file.
    public static func load(path: String) throws(UnitCostError) -> Config {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .input("config \(path): cannot read the file (does it exist?)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(text, path: path, directory: directory.isEmpty ? "." : directory, sha256: SHA256.hex(of: [UInt8](data)))
    }

    /// A YAML syntax error as one line, `config PATH:LINE:COLUMN: not valid YAML: PROBLEM (CONTEXT at
    /// LINE:COLUMN)`, without the source snippet Yams adds on further lines.
    static func yamlProblem(_ error: any Error, path: String) -> UnitCostError {
        let problem: (context: YamlError.Context?, text: String, mark: Mark)?
        switch error as? YamlError {
        case .scanner(let context, let text, let mark, _)?, .parser(let context, let text, let mark, _)?,
            .composer(let context, let text, let mark, _)?:
            problem = (context, text, mark)
        default:
            problem = nil
        }
        guard let problem else {
            let text = "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
            return .input("config \(path): not valid YAML: \(text)")
        }
        let context = problem.context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
        return .input("config \(path):\(problem.mark.line):\(problem.mark.column): not valid YAML: \(problem.text)\(context)")
    }

    /// Parses config text; `path` names it in messages.
    public static func parse(_ text: String, path: String, directory: String, sha256: String) throws(UnitCostError) -> Config {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw yamlProblem(error, path: path)
        }
        var config = Config(path: path, directory: directory, sha256: sha256)
        guard let root else { throw .input("config \(path): the file is empty; it needs at least billing:") }
        let reader = ConfigReader(path: path)
        let top = try reader.mapping(root, "the top level")
        for (keyNode, value) in top {
            let key = try reader.key(keyNode)
            switch key {
            case "currency":
                let code = try reader.string(value, key)
                guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                    throw reader.error(value, "currency \"\(code)\" is not an ISO 4217 code such as USD")
                }
                config.currency = code
            case "cost_basis":
                config.costBasis = try CostBasis(parsing: try reader.string(value, key), where: reader.place(value))
            case "timezone":
                let zone = try reader.string(value, key)
                guard TimeZoneTable.offset(zone, at: Timestamp(seconds: 0)) != nil else {
                    throw reader.error(value, "time zone \"\(zone)\" is not known (use an IANA name such as America/Los_Angeles, or UTC)")
                }
                config.timezone = zone
            case "billing":
                config.billing = try reader.strings(value, key)
            case "show_session_names":
                config.showSessionNames = try reader.bool(value, key)
            case "templates":
                config.templates = try reader.string(value, key)
            case "attribution":
                try config.readAttribution(value, reader)
            case "conversions":
                try config.readConversions(value, reader)
            case "invocation_logs":
                config.invocationLogs = try reader.strings(value, key)
            case "models":
                for (k, v) in try reader.mapping(value, "models") { config.models[try reader.key(k)] = try reader.string(v, "models") }
            case "aliases":
                config.aliases = try reader.string(value, key)
            case "fx":
                config.fx = try reader.string(value, key)
            case "fx_max_age_days":
                guard let n = value.int, n >= 0 else { throw reader.error(value, "fx_max_age_days must be a whole number of days") }
                config.fxMaxAgeDays = n
            case "min_conversions":
                guard let m = Money(try reader.string(value, key)), !m.isNegative else {
                    throw reader.error(value, "min_conversions must be a number of conversions")
                }
                config.minConversions = m
            case "finance":
                try config.readFinance(value, reader)
            case "allocation":
                try config.readAllocation(value, reader)
            case "case_sensitive":
                for name in try reader.strings(value, key) {
                    guard let d = Dimension(rawValue: name) else {
                        throw reader.error(value, "dimension \"\(name)\" is not one of \(Dimension.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    config.caseSensitive.insert(d)
                }
            case "clients":
                config.clients = try ClientConfig.readAll(value, reader)
            default:
                throw reader.unknown(keyNode, key, valid: topKeys, planned: plannedTopKeys)
            }
        }
        guard !config.billing.isEmpty else { throw .input("config \(path): billing: lists no files") }
        if let primary = config.primarySource, !config.conversionSources.contains(where: { $0.name == primary }) {
            throw .input("config \(path): conversions.primary \"\(primary)\" names no source (sources: \(config.conversionSources.map(\.name).joined(separator: ", ")))")
        }
        return config
    }

    private mutating func readAttribution(_ node: Node, _ reader: ConfigReader) throws(UnitCostError) {
        for (keyNode, value) in try reader.mapping(node, "attribution") {
            let key = try reader.key(keyNode)
            switch key {
            case "order":
                func sources(_ node: Node, _ key: String) throws(UnitCostError) -> [Attributor.Source] {
                    var out: [Attributor.Source] = []
                    for name in try reader.strings(node, key) {
                        guard let source = Attributor.Source(rawValue: name) else {
                            throw reader.error(node, "attribution source \"\(name)\" is not one of \(Attributor.Source.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        out.append(source)
                    }
                    return out
                }
                if case .mapping = value {
                    // {campaign: [request_metadata, tags, principals]}: dimensions not named keep the default order.
                    for (k, v) in try reader.mapping(value, "attribution.order") {
                        let name = try reader.key(k)
                        guard let dimension = Dimension(rawValue: name) else {
                            throw reader.error(k, "dimension \"\(name)\" is not one of \(Dimension.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        attributionOrder[dimension] = try sources(v, "attribution.order.\(name)")
                    }
                } else {
                    let order = try sources(value, "attribution.order")
                    for d in Dimension.allCases { attributionOrder[d] = order }
                }
            case "session_name":
                sessionNamePatterns = []
                for text in try reader.strings(value, "attribution.session_name") {
                    do {
                        sessionNamePatterns.append(try SessionNamePattern(text))
                    } catch {
                        throw reader.error(value, error.description)
                    }
                }
            case "principals":
                principalsFile = try reader.string(value, "attribution.principals")
            case "accounts":
                accountsFile = try reader.string(value, "attribution.accounts")
            case "request_metadata":
                for (k, v) in try reader.mapping(value, "attribution.request_metadata") {
                    let key = try reader.key(k)
                    let name = try reader.string(v, key)
                    guard let dimension = Dimension(rawValue: name) else {
                        throw reader.error(v, "dimension \"\(name)\" is not one of \(Dimension.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    requestMetadata[key] = dimension
                }
            case "tags":
                guard case .sequence(let items) = value else { throw reader.error(value, "attribution.tags must be a list of {key, dimension}") }
                tags = []
                for item in items {
                    var key: String?
                    var dimension: Dimension?
                    for (k, v) in try reader.mapping(item, "a tag rule") {
                        switch try reader.key(k) {
                        case "key": key = try reader.string(v, "key")
                        case "dimension":
                            let name = try reader.string(v, "dimension")
                            guard let d = Dimension(rawValue: name) else {
                                throw reader.error(v, "dimension \"\(name)\" is not one of \(Dimension.allCases.map(\.rawValue).joined(separator: ", "))")
                            }
                            dimension = d
                        default:
                            throw reader.unknown(k, try reader.key(k), valid: ["key", "dimension"], planned: [])
                        }
                    }
                    guard let key, let dimension else { throw reader.error(item, "a tag rule needs both key and dimension") }
                    guard let rule = TagRule(key: key, dimension: dimension) else {
                        throw reader.error(item, "tag key \"\(key)\" must start with one of \(TagRule.prefixes.joined(separator: ", "))")
                    }
                    tags.append(rule)
                }
            default:
                throw reader.unknown(keyNode, key, valid: Config.attributionKeys, planned: Config.plannedAttributionKeys)
            }
        }
    }

    static let conversionKeys = ["primary", "sources"]
    static let sourceKeys = ["name", "path", "profile", "currency", "actions", "statuses", "date_basis", "timezone", "maturity_days", "count"]
    static let mappedProfileKeys = ["format", "record", "fields"]

    private mutating func readConversions(_ node: Node, _ reader: ConfigReader) throws(UnitCostError) {
        for (keyNode, value) in try reader.mapping(node, "conversions") {
            let key = try reader.key(keyNode)
            switch key {
            case "primary": primarySource = try reader.string(value, "conversions.primary")
            case "sources":
                guard case .sequence(let items) = value else { throw reader.error(value, "conversions.sources must be a list of sources") }
                for item in items {
                    let source = try Config.readSource(item, reader)
                    guard !conversionSources.contains(where: { $0.name == source.name }) else {
                        throw reader.error(item, "two conversion sources are named \"\(source.name)\"")
                    }
                    conversionSources.append(source)
                }
            default: throw reader.unknown(keyNode, key, valid: Config.conversionKeys, planned: [])
            }
        }
    }

    private static func readSource(_ node: Node, _ reader: ConfigReader) throws(UnitCostError) -> ConversionSource {
        var values: [String: Node] = [:]
        for (k, v) in try reader.mapping(node, "a conversion source") {
            let key = try reader.key(k)
            guard sourceKeys.contains(key) else { throw reader.unknown(k, key, valid: sourceKeys, planned: []) }
            values[key] = v
        }
        guard let nameNode = values["name"] else { throw reader.error(node, "a conversion source needs a name") }
        let name = try reader.string(nameNode, "name")
        guard let pathNode = values["path"] else { throw reader.error(node, "conversion source \"\(name)\" needs a path") }
        guard let profileNode = values["profile"] else { throw reader.error(node, "conversion source \"\(name)\" needs a profile") }
        let profile: ConversionSource.Profile
        switch profileNode {
        case .scalar(let scalar):
            guard let p = ConversionSource.Profile.builtIn[scalar.string] else {
                let names = ConversionSource.Profile.builtIn.keys.sorted()
                let nearest = names.min { ConfigReader.distance(scalar.string, $0) < ConfigReader.distance(scalar.string, $1) } ?? ""
                throw reader.error(profileNode, "unknown profile \"\(scalar.string)\"; did you mean \"\(nearest)\"? (or map one: {format, record, fields})")
            }
            profile = p
        default:
            var format = "", record: String?, fields: [ConversionField: [String]] = [:]
            for (k, v) in try reader.mapping(profileNode, "a mapped profile") {
                switch try reader.key(k) {
                case "format": format = try reader.string(v, "format")
                case "record": record = try reader.string(v, "record")
                case "fields":
                    for (fk, fv) in try reader.mapping(v, "profile fields") {
                        let fieldName = try reader.key(fk)
                        guard let field = ConversionField(rawValue: fieldName) else {
                            throw reader.unknown(fk, fieldName, valid: ConversionField.allCases.map(\.rawValue), planned: [])
                        }
                        fields[field] = try reader.strings(fv, fieldName)
                    }
                default: throw reader.unknown(k, try reader.key(k), valid: mappedProfileKeys, planned: [])
                }
            }
            guard ["csv", "xml", "jsonl"].contains(format) else {
                throw reader.error(profileNode, "a mapped profile's format must be csv, xml or jsonl, not \"\(format)\"")
            }
            if format == "xml" && record == nil { throw reader.error(profileNode, "an xml profile needs record: (an absolute element path)") }
            guard fields[.time] != nil else { throw reader.error(profileNode, "a mapped profile needs a time field") }
            profile = .mapped(format: format, record: record, fields: fields)
        }
        let defaults = ConversionSource.defaults(for: profile)
        var source = ConversionSource(
            name: name, paths: try reader.strings(pathNode, "path"), profile: profile, currency: nil, actions: nil,
            dateBasis: defaults.dateBasis, timezone: nil, maturityDays: defaults.maturityDays)
        if let v = values["currency"] {
            let code = try reader.string(v, "currency")
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw reader.error(v, "currency \"\(code)\" is not an ISO 4217 code such as USD")
            }
            source.currency = code
        }
        if let v = values["actions"] { source.actions = try reader.strings(v, "actions") }
        if let v = values["statuses"] {
            for (k, target) in try reader.mapping(v, "statuses") {
                let raw = try reader.key(k)
                let meaning = try reader.string(target, raw)
                guard let status = ConversionStatus(rawValue: meaning) else {
                    throw reader.error(target, "status \"\(raw)\" must map to approved, pending or excluded, not \"\(meaning)\"")
                }
                source.statuses[raw.trimmingSpaces.lowercased()] = status
            }
        }
        if let v = values["date_basis"] {
            guard let basis = ConversionSource.DateBasis(rawValue: try reader.string(v, "date_basis")) else {
                throw reader.error(v, "date_basis must be interaction or conversion")
            }
            source.dateBasis = basis
        }
        if let v = values["timezone"] {
            let zone = try reader.string(v, "timezone")
            guard TimeZoneTable.offset(zone, at: Timestamp(seconds: 0)) != nil else {
                throw reader.error(v, "time zone \"\(zone)\" is not known (use an IANA name such as America/Los_Angeles, or UTC)")
            }
            source.timezone = zone
        }
        if let v = values["maturity_days"] {
            guard let n = v.int, n >= 0 else { throw reader.error(v, "maturity_days must be a whole number of days") }
            source.maturityDays = n
        }
        if let v = values["count"] {
            let mode = try reader.string(v, "count")
            guard mode == "results" || mode == "purchases" else { throw reader.error(v, "count must be purchases or results") }
            source.countResults = mode == "results"
        }
        if profile == .appsflyer && source.actions == nil {
            throw reader.error(node, "conversion source \"\(name)\" (appsflyer) needs actions: the event names that count")
        }
        return source
    }

    /// A path from the config, relative to the config's folder unless absolute.
    public func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : directory + "/" + path }

    /// How reports name a file: relative to the config's folder when inside it.
    public func display(_ path: String) -> String { path.hasPrefix(directory + "/") ? String(path.dropFirst(directory.count + 1)) : path }

    /// Resolves `billing:` into the files to read: plain files, globs (`**` included) and export folders
    /// with their manifests, one refresh per export and billing period ([docs/formats/export-folders.md]).
    public func billingSources(latestRefresh: Bool) throws(UnitCostError) -> ExportLayout.Resolution {
        try ExportLayout.resolveDetailed(billing, relativeTo: directory, latestRefresh: latestRefresh)
    }
}

/// Reads typed values out of Yams nodes, with line and column in every message.
struct ConfigReader {
    let path: String

    func place(_ node: Node) -> String {
        guard let mark = node.mark else { return "config \(path)" }
        return "config \(path):\(mark.line):\(mark.column)"
    }

    func error(_ node: Node, _ message: String) -> UnitCostError { .input("\(place(node)): \(message)") }

    func mapping(_ node: Node, _ what: String) throws(UnitCostError) -> [(Node, Node)] {
        guard case .mapping(let mapping) = node else { throw error(node, "\(what) must be a mapping of keys to values") }
        return mapping.map { ($0.key, $0.value) }
    }

    func key(_ node: Node) throws(UnitCostError) -> String {
        guard let s = node.string else { throw error(node, "a key must be text") }
        return s
    }

    func string(_ node: Node, _ key: String) throws(UnitCostError) -> String {
        guard case .scalar(let scalar) = node else { throw error(node, "\(key) must be a single value") }
        return scalar.string
    }

    func bool(_ node: Node, _ key: String) throws(UnitCostError) -> Bool {
        guard let b = node.bool else { throw error(node, "\(key) must be true or false") }
        return b
    }

    func strings(_ node: Node, _ key: String) throws(UnitCostError) -> [String] {
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let items):
            var out: [String] = []
            for item in items { out.append(try string(item, key)) }
            return out
        default: throw error(node, "\(key) must be a value or a list of values")
        }
    }

    func unknown(_ node: Node, _ key: String, valid: [String], planned: [String]) -> UnitCostError {
        if planned.contains(key) {
            return error(node, "key \"\(key)\" is part of the spec but not supported by this version yet (README, Missing)")
        }
        let nearest = (valid + planned).min { Self.distance(key, $0) < Self.distance(key, $1) } ?? ""
        return error(node, "unknown key \"\(key)\"; did you mean \"\(nearest)\"?")
    }

    /// Levenshtein distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
