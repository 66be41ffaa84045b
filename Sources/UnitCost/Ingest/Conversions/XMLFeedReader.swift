// The XML side of SPEC §3.3: CJ commission details, Impact actions and generic feeds, all one reader
// configured by a record path and field expressions. The file is streamed with libxml2's text reader;
// only the record under the cursor is expanded, copied into a document of its own for its fields' XPath
// (see XMLRecordEvaluator), and then skipped, so memory stays flat however long the feed is.
//
// A hostile document is an input error, never a hang or a file read: a DOCTYPE is refused outright,
// which is where billion-laughs and external entities would have to be declared; entity substitution,
// DTD loading and the network stay off, libxml2's size limits stay on, and a refusing external entity
// loader stands behind all of that.
import CLibXML2
import Foundation

/// Reads conversion records from an XML feed: the built-in `cj-xml` and `impact-xml` profiles or a
/// generic mapping from the config (SPEC §3.3).
///
/// A feed is a sequence of record elements at one absolute element path; each field of a
/// `ConversionRow` comes from XPath expressions relative to the record, tried in order until one gives a
/// non-empty string. Names match local names: namespaces are ignored on both sides.
///
/// ```swift
/// let reader = try XMLFeedReader(
///     record: "/feed/conversion",
///     fields: [.id: ["@id"], .time: ["@time"], .campaign: ["campaign"],
///              .value: ["value"], .currency: ["value/@currency"], .status: ["status"]],
///     countPerRecord: Money(1))
/// let file = try reader.read(path: "feeds/partner.xml", display: "feeds/partner.xml") { row in … }
/// ```
///
/// Empty elements mean null, text is whitespace-trimmed, numbers are exact decimals, a record without a
/// time (or with a value that is not a decimal) is a rejected row with its line, and a document with a
/// DOCTYPE, malformed XML or an Impact error response is an input error.
public struct XMLFeedReader: ConversionFeedReader {
    /// Which records are corrections that subtract (SPEC §3.3 "Corrections").
    public struct Correction: Sendable, Hashable {
        /// Status values that mark a correction, such as CJ's `corrected`; compared ignoring case.
        public var statuses: Set<String>
        /// Whether a negative value marks a correction.
        public var negativeValue: Bool

        /// Creates a rule; the default marks nothing as a correction.
        public init(statuses: Set<String> = [], negativeValue: Bool = false) {
            self.statuses = Set(statuses.map { $0.lowercased() })
            self.negativeValue = negativeValue
        }
    }

    /// The absolute element path of a record, such as `/cj-api/commissions/commission`.
    public let record: String
    /// Each field's XPath expressions, relative to the record, tried in order.
    public let fields: [ConversionField: [String]]
    /// The count of a record whose `count` field is absent or empty (1 for the built-in profiles).
    public let countPerRecord: Money?
    /// Which records are corrections.
    public let correction: Correction
    /// The currency of records that state none (CJ: the source's configured `currency:`).
    public let currency: String?

    /// The record path's local names.
    let recordNames: [String]
    /// How the feed signals a failed request in place of records (Impact), if it does.
    var failure: XMLFailureDocument?

    /// A generic feed from the config's `record:` and `fields:`.
    ///
    /// - Parameters:
    ///   - record: An absolute element path such as `/feed/conversion`; prefixes are ignored.
    ///   - fields: Each field's XPath expressions relative to the record, e.g. `.campaign: ["SubId1",
    ///     "CampaignId"]`, `.id: ["@id"]`, `.currency: ["value/@currency"]`. `time` is required.
    ///   - countPerRecord: The count of a record without a `count` field value; required when `fields`
    ///     maps no `count`.
    ///   - correction: Which records are corrections.
    ///   - currency: The currency of records that state none.
    /// - Throws: `UnitCostError.input` naming the field whose expression starts at the document root,
    ///   climbs out of the record (`..`, `parent`, `ancestor`, `preceding`, `following` axes), does not
    ///   compile or cannot be evaluated; or when the record path, the time or the count is missing.
    public init(
        record: String, fields: [ConversionField: [String]], countPerRecord: Money? = nil,
        correction: Correction = Correction(), currency: String? = nil
    ) throws(UnitCostError) {
        guard let names = XMLFieldPath.elementNames(record) else {
            throw .input(
                "conversions xml profile: record \"\(record)\" is not an absolute element path such as "
                    + "/feed/conversion")
        }
        for field in ConversionField.allCases {
            guard let expressions = fields[field] else { continue }
            if expressions.isEmpty || expressions.contains(where: { $0.trimmingSpaces.isEmpty }) {
                throw .input("conversions xml profile: field \(field.rawValue) has an empty path")
            }
            for expression in expressions {
                if let escape = XMLFieldPath.escape(in: expression) {
                    throw .input(
                        "conversions xml profile: field \(field.rawValue) \"\(expression)\" \(escape); fields are "
                            + "XPath relative to the record and cannot leave it")
                }
            }
        }
        guard fields[.time] != nil else {
            throw .input("conversions xml profile: fields map no time; every record needs one")
        }
        guard fields[.count] != nil || countPerRecord != nil else {
            throw .input("conversions xml profile: fields map no count; map one or give a count per record")
        }
        let evaluator = try XMLRecordEvaluator(fields: fields)
        do {
            try evaluator.check()
        } catch let error {
            throw .input("conversions xml profile: " + error.phrase)
        }
        self.init(
            checked: record, names: names, fields: fields, countPerRecord: countPerRecord, correction: correction,
            currency: currency)
    }

    /// A reader whose paths are known to be valid (the built-in profiles).
    init(
        checked record: String, names: [String], fields: [ConversionField: [String]], countPerRecord: Money?,
        correction: Correction, currency: String?, failure: XMLFailureDocument? = nil
    ) {
        self.record = record
        self.recordNames = names
        self.fields = fields
        self.countPerRecord = countPerRecord
        self.correction = correction
        self.currency = currency
        self.failure = failure
    }

    /// Streams the records of `path` to `emit`, counting every one as used or rejected.
    ///
    /// - Throws: `UnitCostError.input` when the file is missing or unreadable, is not well-formed XML
    ///   (with line and column), has a DOCTYPE, has a root element other than the record path's, exceeds
    ///   libxml2's size limits, or is an Impact error response (quoting its message).
    public func read(path: String, display: String, emit: (ConversionRow) -> Void) throws(UnitCostError)
        -> ConversionFile
    {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .input("conversions \(display): cannot read the file (does it exist?)")
        }
        guard let stream = XMLTextStream(path: path) else {
            throw .input("conversions \(display): libxml2 cannot open the file")
        }
        let evaluator = try XMLRecordEvaluator(fields: fields)
        let reader = stream.reader
        let watched = [recordNames] + (failure?.paths ?? [])
        var file = ConversionFile()
        var elements: [String] = []
        var failureLine: Int?
        var failureMessage: String?
        var failureDetails: [String] = []
        var skipSubtree = false

        while true {
            let status = skipSubtree ? xmlTextReaderNext(reader) : xmlTextReaderRead(reader)
            skipSubtree = false
            if status == 0 { break }
            guard status == 1 else { throw unreadable(stream, path: path, file: display) }
            let type = xmlTextReaderNodeType(reader)
            if type == Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue) {
                throw doctypeRefused(stream, path: path, file: display)
            }
            guard type == Int32(XML_READER_TYPE_ELEMENT.rawValue) else { continue }
            let depth = Int(xmlTextReaderDepth(reader))
            if elements.count > depth { elements.removeSubrange(depth...) }
            elements.append(stream.localName)
            if depth == 0, elements[0] != recordNames[0] {
                throw .input(
                    "conversions \(display):\(stream.nodeLine): the root element is <\(elements[0])>, not "
                        + "<\(recordNames[0])>; records are read at \(record)")
            }
            if elements == recordNames {
                skipSubtree = true
                // An error response lists no records; should one follow its status, it is not used.
                if failureLine != nil { continue }
                let line = stream.nodeLine
                guard let node = xmlTextReaderExpand(reader) else {
                    throw unreadable(stream, path: path, file: display)
                }
                let values: [ConversionField: XMLFieldText]
                do {
                    values = try evaluator.values(of: node)
                } catch let error {
                    throw .input("conversions \(display):\(line): " + error.phrase)
                }
                switch row(from: values, file: display, line: line) {
                case .row(let row):
                    file.accounting.used += 1
                    emit(row)
                case .rejected(let reject):
                    file.accounting.reject(reject)
                }
            } else if let failure, elements == failure.status {
                let line = stream.nodeLine
                if stream.text().caseInsensitiveCompare(failure.failedStatus) == .orderedSame { failureLine = line }
                skipSubtree = true
            } else if let failure, elements == failure.message {
                failureMessage = stream.text()
                skipSubtree = true
            } else if let failure, elements == failure.detail {
                guard let node = xmlTextReaderExpand(reader) else {
                    throw unreadable(stream, path: path, file: display)
                }
                let detail = failure.detailText(of: node)
                if !detail.isEmpty { failureDetails.append(detail) }
                skipSubtree = true
            } else if !watched.contains(where: { $0.starts(with: elements) }) {
                // Nothing this reader wants is inside: skip the subtree without visiting its nodes.
                skipSubtree = true
            }
        }
        if let failure, let failureLine {
            throw .input(
                "conversions \(display):\(failureLine): the feed is an error response, not a list of records: "
                    + failure.describe(message: failureMessage, details: failureDetails))
        }
        return file
    }
}
