import Foundation

/// Finds the error messages in `Sources/`: the string literal at each place an error is built
/// (`.input("…")`, `.usage(…)`, `.output(…)`, `.reconciliation(…)`, `reason: "…"`, `message: "…"`, `ParquetError("…")`,
/// `error(…, "…")`, `reject(…, "…")`, `note(FIELD, "…")` (a log record's problem), and the message lines of `…Error.swift` files), as a template
/// with each interpolation written as a placeholder (`billing FILE:LINE: COLUMN "VALUE" is not a decimal`)
/// and as a pattern a documented message must match.
///
/// A message built with `+` is known by its first literal, which is enough to find it in the docs.
struct ErrorMessageScanner {
    /// One construction site.
    struct Message: Hashable {
        /// `Sources/UnitCost/Ingest/BillingReader.swift:231`.
        var place: String
        /// The literal's static text between interpolations.
        var segments: [String]
        /// The literal with placeholders, ready for docs/errors.md.
        var template: String

        /// How much static text the message has: a wrapper such as `"\(file): \(reason)"` has almost none
        /// and is not a message of its own.
        var staticLength: Int { segments.joined().trimmingCharacters(in: .whitespaces).count }

        /// How much of a documented message's own text (without its capitalized placeholders and spaces)
        /// this message's static text makes up.
        func coverage(of documented: String) -> Double {
            let placeholders = try! NSRegularExpression(pattern: #"\b[A-Z][A-Z0-9_]*\b"#)
            let text = placeholders.stringByReplacingMatches(
                in: documented, range: NSRange(location: 0, length: (documented as NSString).length), withTemplate: "")
            let own = text.filter { !$0.isWhitespace }.count
            let mine = segments.joined().filter { !$0.isWhitespace }.count
            return own == 0 ? 1 : Double(mine) / Double(own)
        }

        /// Whether `text` (a documented message) is this message: its static pieces, in order, with
        /// anything between them.
        func matches(_ text: String) -> Bool {
            var rest = Substring(text)
            // Pieces are compared without the spaces at their ends: a documented message ends where the
            // code goes on with `+` or an interpolation.
            for piece in segments {
                let segment = piece.trimmingCharacters(in: .whitespaces)
                if segment.isEmpty { continue }
                guard let r = rest.range(of: segment) else { return false }
                rest = rest[r.upperBound...]
            }
            return true
        }
    }

    static let sites: [NSRegularExpression] = [
        #"\.(?:input|usage|output|reconciliation)\(\s*""#, #"(?:reason|message):\s*""#, #"ParquetError\(\s*""#,
        #"\b(?:error|reject|rejected|note)\((?:[^"()\n]|\([^()\n]*\))*,\s*""#,
    ].map { try! NSRegularExpression(pattern: $0) }
    static let errorFileLine = try! NSRegularExpression(pattern: #"^\s*""#, options: .anchorsMatchLines)

    /// Every message in the Swift files under `folder`, in file and line order.
    static func messages(in folder: String, relativeTo root: String) -> [Message] {
        var out: [Message] = []
        let files = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }.sorted()
        for file in files {
            guard let text = TestPaths.read(folder + "/" + file) else { continue }
            let utf16 = text as NSString
            var starts: [Int] = []
            for site in sites {
                for m in site.matches(in: text, range: NSRange(location: 0, length: utf16.length)) { starts.append(m.range.location + m.range.length - 1) }
            }
            if file.hasSuffix("Error.swift") {
                for m in errorFileLine.matches(in: text, range: NSRange(location: 0, length: utf16.length)) { starts.append(m.range.location + m.range.length - 1) }
            }
            let scalars = Array(text.unicodeScalars)
            // NSString offsets are UTF-16; map them to scalar offsets.
            var scalarIndex: [Int: Int] = [:]
            var u = 0
            for (k, s) in scalars.enumerated() {
                scalarIndex[u] = k
                u += s.utf16.count
            }
            for start in Set(starts).sorted() {
                guard let k = scalarIndex[start], !(k + 2 < scalars.count && scalars[k + 1] == "\"" && scalars[k + 2] == "\"") else { continue }
                let (segments, placeholders) = literal(scalars, from: k)
                var template = ""
                for (i, segment) in segments.enumerated() {
                    template += segment
                    if i < placeholders.count { template += placeholders[i] }
                }
                let line = scalars[..<k].filter { $0 == "\n" }.count + 1
                let place = (folder + "/" + file).replacingOccurrences(of: root + "/", with: "") + ":\(line)"
                out.append(Message(place: place, segments: segments, template: template))
            }
        }
        return out
    }

    /// The string literal opening at `start`: its static pieces and a placeholder for each interpolation.
    static func literal(_ s: [Unicode.Scalar], from start: Int) -> (segments: [String], placeholders: [String]) {
        var i = start + 1
        var segments: [String] = []
        var placeholders: [String] = []
        var current = ""
        while i < s.count {
            let c = s[i]
            if c == "\\", i + 1 < s.count {
                let n = s[i + 1]
                if n == "(" {
                    segments.append(current)
                    current = ""
                    var depth = 1
                    var expression = ""
                    i += 2
                    while i < s.count && depth > 0 {
                        if s[i] == "\"" {
                            let (inner, _) = literal(s, from: i)
                            i = skipLiteral(s, from: i)
                            expression += "\"" + inner.joined() + "\""
                            continue
                        }
                        if s[i] == "(" { depth += 1 }
                        if s[i] == ")" { depth -= 1 }
                        if depth > 0 { expression.unicodeScalars.append(s[i]) }
                        i += 1
                    }
                    placeholders.append(placeholder(for: expression))
                    continue
                }
                switch n {
                case "n": current += "\n"
                case "t": current += "\t"
                default: current.unicodeScalars.append(n)
                }
                i += 2
                continue
            }
            if c == "\"" { break }
            current.unicodeScalars.append(c)
            i += 1
        }
        segments.append(current)
        return (segments, placeholders)
    }

    /// The index just past the string literal opening at `start`.
    static func skipLiteral(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var i = start + 1
        while i < s.count {
            if s[i] == "\\", i + 1 < s.count {
                if s[i + 1] == "(" {
                    var depth = 1
                    i += 2
                    while i < s.count && depth > 0 {
                        if s[i] == "\"" {
                            i = skipLiteral(s, from: i)
                            continue
                        }
                        if s[i] == "(" { depth += 1 }
                        if s[i] == ")" { depth -= 1 }
                        i += 1
                    }
                    continue
                }
                i += 2
                continue
            }
            if s[i] == "\"" { return i + 1 }
            i += 1
        }
        return i
    }

    /// A placeholder for an interpolated expression: FILE, LINE, COLUMN, or the expression's main
    /// name in capitals (`\(basis.rawValue)` → BASIS).
    static func placeholder(for expression: String) -> String {
        let lower = expression.lowercased()
        if lower.contains("size(") { return "SIZE" }
        if lower.contains("string(") { return "VALUE" }
        if lower.contains("display") || lower.hasSuffix("path") || lower == "file" || lower.contains("file:") { return "FILE" }
        if lower.contains("line") && !lower.contains("limit") { return "LINE" }
        let skip: Set<String> = ["self", "map", "joined", "separator", "description", "rawValue", "count", "String", "try", "s", "c", "i", "e", "m", "label", "first", "string"]
        let words = expression.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init).filter { !skip.contains($0) && !($0.first?.isNumber ?? true) }
        let name = words.first ?? "VALUE"
        // camelCase → CAMEL_CASE, keeping runs of capitals together (CSVError → CSVERROR).
        var out = ""
        var previousLower = false
        for ch in name {
            if ch.isUppercase && previousLower { out += "_" }
            previousLower = ch.isLowercase
            out += ch.uppercased()
        }
        return out
    }
}
