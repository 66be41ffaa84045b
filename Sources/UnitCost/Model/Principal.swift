#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
        // Billing files hold thousands of distinct callers, each parsed once per file and thread: ARNs
        // are ASCII, read byte by byte; any other text takes the Character path, which says the same
        // of ASCII (a test compares the two).
        var ascii: Principal?? = nil
        if arn.utf8.allSatisfy({ $0 < 0x80 }) {
            ascii = arn.utf8.withContiguousStorageIfAvailable { Self.parseASCII(arn, UnsafeRawBufferPointer($0)) }
        }
        guard let parsed = ascii ?? Self.parseCharacters(arn) else { return nil }
        self = parsed
    }

    private init(arn: String, partition: String, account: String, kind: Kind, name: String, session: String?) {
        self.arn = arn
        self.partition = partition
        self.account = account
        self.kind = kind
        self.name = name
        self.session = session
    }

    /// The ARN's bytes, all ASCII, parsed as `parseCharacters` parses its Characters.
    static func parseASCII(_ arn: String, _ b: UnsafeRawBufferPointer) -> Principal? {
        func text(_ r: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: b[r]), as: UTF8.self) }
        func equals(_ r: Range<Int>, _ literal: StaticString) -> Bool {
            r.count == literal.utf8CodeUnitCount && (r.isEmpty || memcmp(b.baseAddress! + r.lowerBound, literal.utf8Start, r.count) == 0)
        }
        // The first five colons split the ARN into six parts; the last part may hold more colons.
        var colons: [Int] = []
        colons.reserveCapacity(5)
        var i = 0
        while i < b.count && colons.count < 5 {
            if b[i] == UInt8(ascii: ":") { colons.append(i) }
            i += 1
        }
        guard colons.count == 5 else { return nil }
        let partition = colons[0] + 1..<colons[1], service = colons[1] + 1..<colons[2], account = colons[3] + 1..<colons[4]
        guard equals(0..<colons[0], "arn"), !partition.isEmpty, equals(service, "iam") || equals(service, "sts"),
            colons[3] == colons[2] + 1, account.count == 12, account.allSatisfy({ b[$0] >= UInt8(ascii: "0") && b[$0] <= UInt8(ascii: "9") })
        else { return nil }
        let resource = colons[4] + 1..<b.count
        guard let slash = resource.first(where: { b[$0] == UInt8(ascii: "/") }) else { return nil }
        let kind: Kind
        switch slash - resource.lowerBound {
        case 4 where equals(resource.lowerBound..<slash, "user"): kind = .user
        case 4 where equals(resource.lowerBound..<slash, "role"): kind = .role
        case 12 where equals(resource.lowerBound..<slash, "assumed-role"): kind = .assumedRole
        case 14 where equals(resource.lowerBound..<slash, "federated-user"): kind = .federatedUser
        default: return nil
        }
        let rest = slash + 1..<b.count
        guard !rest.isEmpty else { return nil }
        var name = rest, session: Range<Int>? = nil
        if kind == .assumedRole {
            guard let last = rest.last(where: { b[$0] == UInt8(ascii: "/") }), last != rest.lowerBound, last + 1 != rest.upperBound else { return nil }
            name = rest.lowerBound..<last
            session = last + 1..<rest.upperBound
        }
        return Principal(arn: arn, partition: text(partition), account: text(account), kind: kind, name: text(name), session: session.map(text))
    }

    /// The ARN parsed by its Characters.
    static func parseCharacters(_ arn: String) -> Principal? {
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
        if kind == .assumedRole {
            guard let last = rest.lastIndex(of: "/"), last != rest.startIndex, rest.index(after: last) != rest.endIndex
            else { return nil }
            return Principal(
                arn: arn, partition: String(parts[1]), account: String(parts[4]), kind: kind, name: String(rest[..<last]),
                session: String(rest[rest.index(after: last)...]))
        }
        return Principal(arn: arn, partition: String(parts[1]), account: String(parts[4]), kind: kind, name: String(rest), session: nil)
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
