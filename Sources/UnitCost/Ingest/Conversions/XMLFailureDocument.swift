// Impact answers a failed request with a document that shares the success root (research §9):
//   <ImpactRadiusResponse><Status>ERROR</Status><Message>Validation Failed</Message>
//     <Errors><Error><Field>StartDate</Field><Message>…</Message></Error></Errors></ImpactRadiusResponse>
// Read as a feed it would give zero records and look like a quiet day, so it is an input error instead.
import CLibXML2

/// Where a feed states that the request failed, and how to quote the failure.
struct XMLFailureDocument: Sendable, Hashable {
    /// The element whose text is the status, e.g. `ImpactRadiusResponse/Status`.
    var status: [String]
    /// The status value that means failure, compared ignoring case.
    var failedStatus: String
    /// The element holding the overall message.
    var message: [String]
    /// Each detailed error; its child elements' texts are quoted, joined with ": ".
    var detail: [String]

    /// Impact's `<Status>ERROR</Status>` response.
    static let impact = XMLFailureDocument(
        status: ["ImpactRadiusResponse", "Status"], failedStatus: "ERROR",
        message: ["ImpactRadiusResponse", "Message"], detail: ["ImpactRadiusResponse", "Errors", "Error"])

    /// The element paths the reader has to visit.
    var paths: [[String]] { [status, message, detail] }

    /// `Field: Message` from a detail element's children.
    func detailText(of node: xmlNodePtr) -> String {
        var parts: [String] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, let content = xmlNodeGetContent(current) {
                let text = String(cString: content).trimmingSpaces
                clibxml2_free(content)
                if !text.isEmpty { parts.append(text) }
            }
            child = current.pointee.next
        }
        return parts.joined(separator: ": ")
    }

    /// `"Validation Failed" (StartDate: must not be after EndDate)`.
    func describe(message: String?, details: [String]) -> String {
        var text = message.flatMap { $0.isEmpty ? nil : "\"\($0)\"" } ?? "no message"
        if !details.isEmpty { text += " (" + details.joined(separator: "; ") + ")" }
        return text
    }
}
