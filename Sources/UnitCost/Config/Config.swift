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
    /// Attribution sources in order; only `tags` exists in this version.
    public var attributionOrder: [String] = ["tags"]
    /// Tag rules, tried in order.
    public var tags: [TagRule] = []
    /// Show assumed-role session names instead of their hash.
    public var showSessionNames = false
    /// A folder of report templates overriding the default `Templates/`.
    public var templates: String?

    /// Keys this version reads.
    static let topKeys = ["currency", "cost_basis", "timezone", "billing", "attribution", "show_session_names", "templates"]
    /// Keys the SPEC defines that later versions read.
    static let plannedTopKeys = [
        "invocation_logs", "conversions", "aliases", "fx", "fx_max_age_days", "clients", "finance", "allocation",
        "min_conversions", "case_sensitive", "models",
    ]
    static let attributionKeys = ["order", "tags"]
    static let plannedAttributionKeys = ["accounts", "session_name", "principals", "request_metadata"]

    /// Reads and checks a config file.
    public static func load(path: String) throws(UnitCostError) -> Config {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .input("config \(path): cannot read the file (does it exist?)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(text, path: path, directory: directory.isEmpty ? "." : directory, sha256: SHA256.hex(of: [UInt8](data)))
    }

    /// Parses config text; `path` names it in messages.
    public static func parse(_ text: String, path: String, directory: String, sha256: String) throws(UnitCostError) -> Config {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw .input("config \(path): not valid YAML: \(error)")
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
                config.timezone = try reader.string(value, key)
            case "billing":
                config.billing = try reader.strings(value, key)
            case "show_session_names":
                config.showSessionNames = try reader.bool(value, key)
            case "templates":
                config.templates = try reader.string(value, key)
            case "attribution":
                try config.readAttribution(value, reader)
            default:
                throw reader.unknown(keyNode, key, valid: topKeys, planned: plannedTopKeys)
            }
        }
        guard !config.billing.isEmpty else { throw .input("config \(path): billing: lists no files") }
        return config
    }

    private mutating func readAttribution(_ node: Node, _ reader: ConfigReader) throws(UnitCostError) {
        for (keyNode, value) in try reader.mapping(node, "attribution") {
            let key = try reader.key(keyNode)
            switch key {
            case "order":
                let order = try reader.strings(value, "attribution.order")
                for source in order where source != "tags" {
                    if Config.plannedAttributionKeys.contains(source) {
                        throw reader.error(value, "attribution source \"\(source)\" is not supported by this version yet; only tags is")
                    }
                    throw reader.error(value, "attribution source \"\(source)\" is not one of tags, session_name, principals, accounts, request_metadata")
                }
                attributionOrder = order
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

    /// Expands the billing patterns into files, sorted by name within each pattern, without repeats.
    public func billingFiles() throws(UnitCostError) -> [String] {
        var files: [String] = []
        for pattern in billing {
            let full = pattern.hasPrefix("/") ? pattern : directory + "/" + pattern
            let matches = Glob.expand(full)
            guard !matches.isEmpty else {
                throw .input("config \(path): billing pattern \"\(pattern)\" matches no file")
            }
            for match in matches where !files.contains(match) { files.append(match) }
        }
        return files
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
