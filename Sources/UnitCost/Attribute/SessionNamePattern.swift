/// A session-name pattern (SPEC §4, source 2) such as `cmp-{campaign}-cr-{creative}`, matched against
/// the whole assumed-role session name; each `{dimension}` is non-empty and matches as little as it can.
public struct SessionNamePattern: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case literal([UInt8])
        case capture(Dimension)
    }

    /// The pattern as configured.
    public let text: String
    let parts: [Part]

    /// Parses a pattern; an unknown `{name}`, an unclosed brace or two captures in a row is an error.
    public init(_ text: String) throws(UnitCostError) {
        self.text = text
        var parts: [Part] = []
        var literal: [UInt8] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            literal += Array(rest[..<open].utf8)
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw .input("session_name pattern \"\(text)\": a { is never closed")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard let dimension = Dimension(rawValue: name) else {
                throw .input("session_name pattern \"\(text)\": {\(name)} is not one of \(Dimension.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", "))")
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            if case .capture? = parts.last, literal.isEmpty {
                throw .input("session_name pattern \"\(text)\": two placeholders need text between them")
            }
            literal = []
            parts.append(.capture(dimension))
            rest = rest[rest.index(after: close)...]
        }
        literal += Array(rest.utf8)
        if !literal.isEmpty { parts.append(.literal(literal)) }
        guard parts.contains(where: { if case .capture = $0 { return true } else { return false } }) else {
            throw .input("session_name pattern \"\(text)\" has no {dimension} placeholder")
        }
        self.parts = parts
    }

    /// The values the pattern captures from a session name, or nil when it does not match the whole name.
    public func match(_ session: String) -> [Dimension: String]? {
        let bytes = Array(session.utf8)
        var captures: [Dimension: String] = [:]
        return match(bytes, 0, 0, &captures) ? captures : nil
    }

    private func match(_ s: [UInt8], _ i: Int, _ p: Int, _ captures: inout [Dimension: String]) -> Bool {
        guard p < parts.count else { return i == s.count }
        switch parts[p] {
        case .literal(let lit):
            guard s.count - i >= lit.count, Array(s[i..<(i + lit.count)]) == lit else { return false }
            return match(s, i + lit.count, p + 1, &captures)
        case .capture(let dimension):
            // As little as it can: try the shortest non-empty capture first.
            var end = i + 1
            while end <= s.count {
                captures[dimension] = String(decoding: s[i..<end], as: UTF8.self)
                if match(s, end, p + 1, &captures) { return true }
                end += 1
            }
            captures[dimension] = nil
            return false
        }
    }
}
