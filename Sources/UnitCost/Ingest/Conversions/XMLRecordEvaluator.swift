// Each record is copied out of the streaming reader's partial tree into a document of its own, with
// namespaces dropped, and the fields' compiled XPath expressions run on that copy. The copy is what makes
// SPEC §3.3's rule hold by construction: "evaluated on that record's subtree, never leaving it" — even
// `/` or `..` would only find the record itself. Dropping namespaces lets `SubId1` match
// `<ir:SubId1 xmlns:ir="…">`: feeds are matched on local names.
import CLibXML2

/// The text one field's expressions gave on one record, and the expression that gave it.
struct XMLFieldText {
    var text: String
    var expression: String
}

/// Compiled field expressions and one XPath context, used for every record of one file.
final class XMLRecordEvaluator {
    private struct Compiled {
        var field: ConversionField
        var expressions: [(text: String, compiled: xmlXPathCompExprPtr)]
    }

    private let context: xmlXPathContextPtr
    private let log = XMLErrorLog()
    private var compiled: [Compiled] = []

    /// Compiles every expression; a syntax error is a config error naming the field.
    init(fields: [ConversionField: [String]]) throws(UnitCostError) {
        XMLTextStream.prepareThread()
        guard let context = xmlXPathNewContext(nil) else {
            throw .input("conversions: libxml2 could not create an XPath context (out of memory)")
        }
        self.context = context
        context.pointee.error = recordLibXMLError
        context.pointee.userData = log.opaque
        for field in ConversionField.allCases {
            guard let texts = fields[field] else { continue }
            var entry = Compiled(field: field, expressions: [])
            for text in texts {
                guard let expression = xmlXPathCtxtCompile(context, text) else {
                    // `compiled` holds what compiled so far; deinit frees it.
                    compiled.append(entry)
                    throw .input(
                        "conversions xml profile: field \(field.rawValue) \"\(text)\" is not a valid XPath expression"
                            + (log.first.map { " (\($0.message))" } ?? ""))
                }
                entry.expressions.append((text, expression))
            }
            compiled.append(entry)
        }
    }

    deinit {
        for entry in compiled {
            for expression in entry.expressions { xmlXPathFreeCompExpr(expression.compiled) }
        }
        xmlXPathFreeContext(context)
    }

    /// For each field, the first non-empty whitespace-trimmed string its expressions give on a copy of
    /// `record`; fields whose expressions all give "" (empty or missing elements) are absent.
    ///
    /// - Throws: The failing field, expression and libxml2's reason, when an expression cannot be
    ///   evaluated (an unknown function, variable or namespace prefix).
    func values(of record: xmlNodePtr) throws(XMLEvaluationError) -> [ConversionField: XMLFieldText] {
        guard let document = xmlNewDoc("1.0") else {
            throw XMLEvaluationError(field: nil, expression: "", reason: "out of memory")
        }
        defer { xmlFreeDoc(document) }
        guard let copy = xmlDocCopyNode(record, document, 1) else {
            throw XMLEvaluationError(field: nil, expression: "", reason: "out of memory")
        }
        xmlDocSetRootElement(document, copy)
        XMLRecordEvaluator.dropNamespaces(below: copy)
        context.pointee.doc = document
        context.pointee.node = copy
        defer {
            context.pointee.doc = nil
            context.pointee.node = nil
        }
        var values: [ConversionField: XMLFieldText] = [:]
        for entry in compiled {
            for expression in entry.expressions {
                guard let object = xmlXPathCompiledEval(expression.compiled, context) else {
                    throw XMLEvaluationError(
                        field: entry.field, expression: expression.text,
                        reason: log.first?.message ?? "evaluation failed")
                }
                let text: String
                if let string = xmlXPathCastToString(object) {
                    text = String(cString: string).trimmingSpaces
                    clibxml2_free(string)
                } else {
                    text = ""
                }
                xmlXPathFreeObject(object)
                if !text.isEmpty {
                    values[entry.field] = XMLFieldText(text: text, expression: expression.text)
                    break
                }
            }
        }
        return values
    }

    /// Runs every expression once on an empty record, so that an unknown function, variable or prefix is
    /// found when the config is read rather than at the first record.
    func check() throws(XMLEvaluationError) {
        guard let document = xmlNewDoc("1.0") else { return }
        defer { xmlFreeDoc(document) }
        guard let record = xmlNewDocNode(document, nil, "record", nil) else { return }
        xmlDocSetRootElement(document, record)
        _ = try values(of: record)
    }

    /// Clears the namespace of every element and attribute in the subtree, so names match local names.
    private static func dropNamespaces(below root: xmlNodePtr) {
        var pending: [xmlNodePtr] = [root]
        while let node = pending.popLast() {
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            node.pointee.ns = nil
            var attribute = node.pointee.properties
            while let current = attribute {
                current.pointee.ns = nil
                attribute = current.pointee.next
            }
            var child = node.pointee.children
            while let current = child {
                pending.append(current)
                child = current.pointee.next
            }
        }
    }
}

/// An expression that libxml2 compiled but could not evaluate, or a record it could not copy.
struct XMLEvaluationError: Error {
    /// The field, or nil when the record itself could not be copied.
    var field: ConversionField?
    var expression: String
    var reason: String

    /// `field creative "nosuch(a)" cannot be evaluated (…)`.
    var phrase: String {
        guard let field else { return "libxml2 could not copy the record (\(reason))" }
        return "field \(field.rawValue) \"\(expression)\" cannot be evaluated (\(reason))"
    }
}
