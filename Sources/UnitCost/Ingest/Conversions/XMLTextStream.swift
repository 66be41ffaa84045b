// One libxml2 text reader over one file, set up the way SPEC §3.3 asks: streaming, no network, no entity
// substitution, no DTD loading, libxml2's size limits on (no XML_PARSE_HUGE), and every error kept in an
// `XMLErrorLog` rather than printed. A DOCTYPE is refused outright by `XMLFeedReader`, so internal
// entities (billion laughs) and external ones (a SYSTEM entity naming a local file) never get expanded.
import CLibXML2
import Foundation

/// A libxml2 text reader over one file, freed with this object.
final class XMLTextStream {
    /// The parse options: no network, no error or warning printing, line numbers above 65,535 kept.
    /// Deliberately absent: `XML_PARSE_NOENT` (entity substitution), `XML_PARSE_DTDLOAD`,
    /// `XML_PARSE_DTDATTR`, `XML_PARSE_DTDVALID`, `XML_PARSE_XINCLUDE` and `XML_PARSE_HUGE`.
    static let options: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_BIG_LINES.rawValue)

    let reader: xmlTextReaderPtr
    /// Errors from the reader and from anything else libxml2 does on this thread meanwhile.
    let log = XMLErrorLog()
    private var preservedDocument: xmlDocPtr?
    private var documentTypeDeclared: Bool?

    /// Opens `path`; nil when libxml2 cannot.
    init?(path: String) {
        XMLTextStream.prepareThread()
        guard let reader = xmlReaderForFile(path, nil, XMLTextStream.options) else { return nil }
        self.reader = reader
        xmlTextReaderSetStructuredErrorHandler(reader, recordLibXMLError, log.opaque)
        xmlSetStructuredErrorFunc(log.opaque, recordLibXMLError)
    }

    deinit {
        xmlFreeTextReader(reader)
        if let preservedDocument { xmlFreeDoc(preservedDocument) }
        xmlSetStructuredErrorFunc(nil, nil)
    }

    /// Initializes libxml2 once per process (before any concurrent use, as libxml2 2.9 asks) and refuses
    /// every external entity, DTD or other resource a document might name, should any option ever ask
    /// for one. The feed file itself is opened directly, not through this loader.
    private static let initialized: Bool = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
        return true
    }()

    /// Makes libxml2 ready on the calling thread: initialized, and silent (its default error handlers
    /// are per thread).
    static func prepareThread() {
        _ = initialized
        clibxml2_silence_generic_errors()
    }

    /// The local name of the reader's current node.
    var localName: String {
        xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }

    /// The whitespace-trimmed text content of the current element, reading its subtree.
    func text() -> String {
        guard let text = xmlTextReaderReadString(reader) else { return "" }
        defer { clibxml2_free(text) }
        return String(cString: text).trimmingSpaces
    }

    /// The line the reader's current node starts on, or the parser's position when libxml2 does not
    /// know the node's line.
    var nodeLine: Int {
        if let node = xmlTextReaderCurrentNode(reader) {
            let line = xmlGetLineNo(node)
            if line > 0 { return line }
        }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    /// Whether the document, as far as libxml2 parsed it, has a DOCTYPE. Only for the error path: it
    /// makes the reader keep its document, which this object then frees.
    func declaresDocumentType() -> Bool {
        if let documentTypeDeclared { return documentTypeDeclared }
        let document = xmlTextReaderCurrentDoc(reader)
        preservedDocument = document
        let declared = document.map { $0.pointee.intSubset != nil || $0.pointee.extSubset != nil } ?? false
        documentTypeDeclared = declared
        return declared
    }
}
