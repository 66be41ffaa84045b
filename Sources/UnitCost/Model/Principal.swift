/// The IAM caller of a Bedrock line, parsed from its ARN (`line_item_iam_principal`).
///
/// Forms: `arn:PARTITION:(iam|sts)::ACCOUNT:(user|role|assumed-role|federated-user)/REST`. For
/// `assumed-role`, the role is everything before the last `/` and the session name after it; session
/// names may hold `@ = , . -` (e-mail addresses). IAM paths (`role/team/ops/name`) are kept in `name`.
public struct Principal: Hashable, Sendable, Comparable {
    /// What kind of IAM identity called.
    public enum Kind: String, Hashable, Sendable {
        case user
        case role
        case assumedRole = "assumed-role"
        case federatedUser = "federated-user"
    }

    /// The ARN as billed.
    public var arn: String
    /// `aws`, `aws-cn`, `aws-us-gov`, …
    public var partition: String
    /// The 12-digit account id, as text (leading zeros matter).
    public var account: String
    /// user, role, assumed-role or federated-user.
    public var kind: Kind
    /// The user, role or federated user name (with its IAM path, if any).
    public var name: String
    /// The session name of an assumed role.
    public var session: String?

    /// Parses an ARN, or returns nil when it is not one of the forms above.
    public init?(arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, parts[2] == "iam" || parts[2] == "sts",
            parts[3].isEmpty, parts[4].count == 12, parts[4].allSatisfy(\.isNumber)
        else { return nil }
        let resource = parts[5]
        guard let slash = resource.firstIndex(of: "/"), let kind = Kind(rawValue: String(resource[..<slash])) else {
            return nil
        }
        let rest = resource[resource.index(after: slash)...]
        guard !rest.isEmpty else { return nil }
        self.arn = arn
        partition = String(parts[1])
        account = String(parts[4])
        self.kind = kind
        if kind == .assumedRole {
            guard let last = rest.lastIndex(of: "/"), last != rest.startIndex, rest.index(after: last) != rest.endIndex
            else { return nil }
            name = String(rest[..<last])
            session = String(rest[rest.index(after: last)...])
        } else {
            name = String(rest)
            session = nil
        }
    }

    /// How reports show the principal (SPEC §8): `ACCOUNT:role/NAME/<hash>`, the session name replaced by
    /// a stable 8-hex hash unless `showSessionNames`.
    public func display(showSessionNames: Bool = false) -> String {
        let head = "\(account):\(kind == .assumedRole ? "role" : kind.rawValue)/\(name)"
        guard let session else { return head }
        return head + "/" + (showSessionNames ? session : String(SHA256.hex(of: Array(session.utf8)).prefix(8)))
    }

    public static func < (a: Principal, b: Principal) -> Bool { a.arn < b.arn }
}
