// A field's XPath is evaluated on a copy of its record, alone in a document of its own, so no expression
// can reach another record whatever it says. This check is for the person writing the config: an
// expression written as if from the document root (`/feed/x`) or climbing out of the record (`../x`)
// would quietly find nothing there, so it is refused up front, naming the field.
//
// The check tokenizes the expression the way XPath 1.0 does (§3.7 "Lexical Structure"): a `/` or `//`
// that does not follow the end of a step starts an absolute path; a name followed by `::` is an axis;
// `..` is the parent; text inside quotes is a literal and is ignored.

/// The XPath expressions a generic XML feed maps onto fields, checked to stay inside their record.
enum XMLFieldPath {
    /// Axes that lead out of the record.
    static let leavingAxes: Set<String> = [
        "parent", "ancestor", "ancestor-or-self", "preceding", "preceding-sibling", "following",
        "following-sibling",
    ]

    /// Why `expression` would leave its record, as a phrase; nil when it stays inside.
    static func escape(in expression: String) -> String? {
        let c = Array(expression.unicodeScalars)
        var i = 0
        // Whether the previous token ends an operand (a step, a literal, a number, `)` or `]`), so that a
        // following `/` continues a path and a following name or `*` is an operator.
        var afterOperand = false
        func at(_ k: Int) -> Unicode.Scalar? { k < c.count ? c[k] : nil }
        while i < c.count {
            let ch = c[i]
            if ch.properties.isWhitespace {
                i += 1
                continue
            }
            switch ch {
            case "\"", "'":
                var j = i + 1
                while j < c.count, c[j] != ch { j += 1 }
                i = j + 1
                afterOperand = true
            case "/":
                if !afterOperand {
                    return "starts at the document root"
                }
                i += at(i + 1) == "/" ? 2 : 1
                afterOperand = false
            case ".":
                if at(i + 1) == "." { return "uses .." }
                if let next = at(i + 1), ("0"..."9").contains(next) {
                    i += 1
                    while let d = at(i), ("0"..."9").contains(d) { i += 1 }
                } else {
                    i += 1
                }
                afterOperand = true
            case "0"..."9":
                while let d = at(i), ("0"..."9").contains(d) || d == "." { i += 1 }
                afterOperand = true
            case ")", "]":
                i += 1
                afterOperand = true
            case "*":
                i += 1
                afterOperand = !afterOperand  // a name test, or multiplication between operands
            case "$":
                i += 1
                while let d = at(i), isNameCharacter(d) || d == ":" { i += 1 }
                afterOperand = true
            default:
                guard isNameStart(ch) else {
                    // ( [ , | + - = ! < > @ and anything else: operators and punctuation.
                    i += 1
                    afterOperand = false
                    continue
                }
                var name = ""
                while let d = at(i) {
                    if isNameCharacter(d) {
                        name.unicodeScalars.append(d)
                        i += 1
                    } else if d == ":", let e = at(i + 1), isNameStart(e) {
                        name.unicodeScalars.append(d)
                        i += 1
                    } else {
                        break
                    }
                }
                var j = i
                while let d = at(j), d.properties.isWhitespace { j += 1 }
                if at(j) == ":" && at(j + 1) == ":" {
                    if leavingAxes.contains(name) { return "uses the \(name) axis" }
                    i = j + 2
                    afterOperand = false
                } else if afterOperand {
                    afterOperand = false  // and, or, div, mod
                } else {
                    afterOperand = true  // a name test, a node type or a function name
                }
            }
        }
        return nil
    }

    /// The local names of an absolute element path such as `/cj-api/commissions/commission`; prefixes
    /// are dropped because namespaces are ignored. Nil when `path` is not of that form.
    static func elementNames(_ path: String) -> [String]? {
        guard path.hasPrefix("/") else { return nil }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var names: [String] = []
        for part in parts {
            let local = part.split(separator: ":", omittingEmptySubsequences: false)
            guard local.count <= 2, let last = local.last, let first = last.unicodeScalars.first, isNameStart(first),
                last.unicodeScalars.allSatisfy(isNameCharacter), local.count == 1 || !local[0].isEmpty
            else { return nil }
            names.append(String(last))
        }
        return names.isEmpty ? nil : names
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c.value >= 0xC0
    }

    static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || ("0"..."9").contains(c) || c == "-" || c == "." || c == "\u{B7}"
    }
}
