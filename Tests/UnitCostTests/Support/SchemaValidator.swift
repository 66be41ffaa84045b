import Foundation

/// A JSON Schema (2020-12) checker for the keywords `summary.schema.json` uses: type, const, enum,
/// required, properties, additionalProperties, items, pattern and oneOf. Enough to check our own output
/// against the project's schema without a dependency.
struct SchemaValidator {
    let schema: Any

    init(path: String) throws {
        schema = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Every violation, as `path: problem`.
    func violations(of document: Any) -> [String] {
        var out: [String] = []
        check(document, against: schema, at: "$", into: &out)
        return out
    }

    private func check(_ value: Any, against schema: Any, at path: String, into out: inout [String]) {
        guard let schema = schema as? [String: Any] else { return }
        if let expected = schema["const"], !same(value, expected) { out.append("\(path): is not \(expected)") }
        if let options = schema["enum"] as? [Any], !options.contains(where: { same(value, $0) }) {
            out.append("\(path): \(value) is not one of \(options)")
        }
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as? String ?? ""]
            if !types.contains(where: { matches(value, type: $0) }) { out.append("\(path): is not of type \(types)") }
        }
        if let oneOf = schema["oneOf"] as? [Any] {
            let passing = oneOf.filter { option in
                var sub: [String] = []
                check(value, against: option, at: path, into: &sub)
                return sub.isEmpty
            }
            if passing.count != 1 { out.append("\(path): matches \(passing.count) of oneOf's options, not exactly one") }
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
            text.range(of: pattern, options: .regularExpression) == nil
        {
            out.append("\(path): \"\(text)\" does not match \(pattern)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { out.append("\(path): lacks required \"\(key)\"") }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, child) in object {
                if let sub = properties[key] {
                    check(child, against: sub, at: "\(path).\(key)", into: &out)
                } else if let extra = schema["additionalProperties"] as? Bool, !extra {
                    out.append("\(path): has \"\(key)\", which the schema does not allow")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (i, item) in array.enumerated() { check(item, against: items, at: "\(path)[\(i)]", into: &out) }
        }
    }

    private func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBool(value)
        case "integer":
            guard let n = value as? NSNumber, !isBool(value) else { return false }
            return n.doubleValue == n.doubleValue.rounded()
        case "number": return value is NSNumber && !isBool(value)
        default: return false
        }
    }

    private func isBool(_ value: Any) -> Bool {
        guard let n = value as? NSNumber else { return false }
        return String(cString: n.objCType) == "c" || type(of: value) == Bool.self
    }

    private func same(_ a: Any, _ b: Any) -> Bool { "\(a)" == "\(b)" }
}
