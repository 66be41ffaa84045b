import Foundation
import Testing
import UnitCost

#if canImport(Glibc)
import Glibc
#endif

/// Hostile XML is a rejected input with a clear error, within a second, and never a file read
/// (SPEC §3.3): a DOCTYPE is refused, so neither entity bombs nor external entities are expanded.
@Suite struct XMLSecurityTests {
    static let doctypeRefused = "a DOCTYPE is not accepted in a conversion feed (entities are off)"

    /// The error and the rows of one read, and how long it took.
    static func attempt(_ path: String, display: String, reader: XMLFeedReader = .cjCommissions(currency: "USD"))
        -> (error: UnitCostError?, rows: [ConversionRow], elapsed: Duration)
    {
        var rows: [ConversionRow] = []
        var error: UnitCostError?
        let elapsed = ContinuousClock().measure {
            do throws(UnitCostError) {
                _ = try reader.read(path: path, display: display) { rows.append($0) }
            } catch let caught {
                error = caught
            }
        }
        return (error, rows, elapsed)
    }

    @Test func billionLaughsIsRefusedQuickly() {
        let path = TestPaths.fixture("conversions/xml/billion-laughs.xml")
        let result = Self.attempt(path, display: "billion-laughs.xml")
        #expect(result.error == .input("conversions billion-laughs.xml:3: " + Self.doctypeRefused))
        #expect(result.rows.isEmpty)
        #expect(result.elapsed < .seconds(1))
    }

    /// Even with the DOCTYPE far from the start, and the bomb used in an attribute of the root element.
    @Test func billionLaughsInAnAttributeIsRefusedQuickly() throws {
        let folder = try TestPaths.temporaryFolder()
        var entities = "<!ENTITY a0 \"hahahahahahahahahahahahahahahahahahahahahahahahahahahahaha\">\n"
        for level in 1...12 {
            entities += "<!ENTITY a\(level) \"" + String(repeating: "&a\(level - 1);", count: 16) + "\">\n"
        }
        let comment = "<!--" + String(repeating: " padding\n", count: 2000) + "-->\n"
        let path = try TestPaths.write(
            "<?xml version=\"1.0\"?>\n" + comment + "<!DOCTYPE cj-api [\n" + entities
                + "]>\n<cj-api x=\"&a12;\"><commissions/></cj-api>\n", to: folder + "/bomb.xml")
        let result = Self.attempt(path, display: "bomb.xml")
        #expect(result.error == .input("conversions bomb.xml:2003: " + Self.doctypeRefused))
        #expect(result.elapsed < .seconds(1))
    }

    @Test func externalEntityOnEtcPasswdIsRefused() throws {
        let path = TestPaths.fixture("conversions/xml/xxe.xml")
        let result = Self.attempt(path, display: "xxe.xml")
        #expect(result.error == .input("conversions xxe.xml:3: " + Self.doctypeRefused))
        #expect(result.rows.isEmpty)
        #expect(result.elapsed < .seconds(1))
        // Nothing of /etc/passwd (whose first entry is root's) appears anywhere.
        #expect(result.error?.description.contains("root:") == false)
    }

    /// Sets a file's access time to 2000-01-01, before its modification time, so that under `relatime`
    /// the next read of the file moves it.
    static func backdateAccess(_ path: String) {
        var times = [
            timespec(tv_sec: 946_684_800, tv_nsec: 0), timespec(tv_sec: time(nil), tv_nsec: 0),
        ]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }

    static func accessSeconds(_ path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return Int(info.st_atim.tv_sec)
    }

    /// External entities of every kind naming a secret file beside the feed: the read fails fast with the
    /// DOCTYPE error, the secret never appears in any row or message, and the file is not even opened
    /// (its access time does not move, where the file system records reads at all).
    @Test(arguments: [
        "<!DOCTYPE cj-api [ <!ENTITY secret SYSTEM \"SECRET_URL\"> ]>",
        "<!DOCTYPE cj-api [ <!ENTITY secret SYSTEM \"secret.txt\"> ]>",
        "<!DOCTYPE cj-api [ <!ENTITY % remote SYSTEM \"SECRET_URL\"> %remote; ]>",
        "<!DOCTYPE cj-api SYSTEM \"SECRET_URL\">",
        "<!DOCTYPE cj-api PUBLIC \"-//Example//EN\" \"secret.txt\" [ <!ENTITY secret \"x\"> ]>",
    ])
    func externalEntityOnALocalFileIsNeverRead(doctype: String) throws {
        let folder = try TestPaths.temporaryFolder()
        let token = "secret-\(UUID().uuidString)"
        let secret = try TestPaths.write(token + "\n", to: folder + "/secret.txt")
        let control = try TestPaths.write(token + "\n", to: folder + "/control.txt")
        Self.backdateAccess(secret)
        Self.backdateAccess(control)
        let url = URL(fileURLWithPath: secret).absoluteString
        let feed = try TestPaths.write(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            \(doctype.replacingOccurrences(of: "SECRET_URL", with: url))
            <cj-api><commissions><commission>
            <event-date>2026-06-14T07:27:35-0700</event-date><sid>&secret;</sid><aid>\(token.prefix(3))</aid>
            </commission></commissions></cj-api>
            """, to: folder + "/feed.xml")

        let result = Self.attempt(feed, display: "feed.xml")
        #expect(result.error == .input("conversions feed.xml:2: " + Self.doctypeRefused))
        #expect(result.rows.isEmpty)
        #expect(result.elapsed < .seconds(1))
        #expect(result.error?.description.contains(token) == false)

        // The control shows whether this file system records reads; if it does, the secret was not read.
        _ = FileManager.default.contents(atPath: control)
        if Self.accessSeconds(control) != 946_684_800 {
            #expect(Self.accessSeconds(secret) == 946_684_800)
        }
    }

    @Test func malformedXMLNamesFileLineAndColumn() {
        let result = Self.attempt(TestPaths.fixture("conversions/xml/malformed.xml"), display: "malformed.xml")
        #expect(
            result.error
                == .input(
                    "conversions malformed.xml:9:18: not well-formed XML: opening and ending tag mismatch: sid line 7 and commission"
                ))
        #expect(result.rows.isEmpty)
    }

    @Test(arguments: [
        ("", "conversions empty.xml:1:1: not well-formed XML: the document has no root element (is the file empty?)"),
        ("<!-- nothing -->\n", "conversions empty.xml:2:1: not well-formed XML: the document has no root element (is the file empty?)"),
        (
            "<cj-api><commissions>",
            "conversions empty.xml:1:22: not well-formed XML: the document ends inside <commissions> (is the file cut short?)"
        ),
        ("<cj-api>&undefined;</cj-api>", "conversions empty.xml:1:20: not well-formed XML: entity 'undefined' not defined"),
        ("<cj-api></cj-api><extra/>", "conversions empty.xml:1:18: not well-formed XML: extra content at the end of the document"),
    ])
    func otherBrokenDocuments(text: String, message: String) throws {
        let folder = try TestPaths.temporaryFolder()
        let path = try TestPaths.write(text, to: folder + "/empty.xml")
        let result = Self.attempt(path, display: "empty.xml")
        #expect(result.error == .input(message))
    }

    /// A record that breaks stops the read with its line; no record after it is emitted. (Records shortly
    /// before it may not be either: libxml2 parses ahead of the reader by up to a chunk.)
    @Test func malformedRecordAfterGoodOnes() throws {
        let folder = try TestPaths.temporaryFolder()
        var text = "<cj-api><commissions>\n"
        for i in 0..<100 { text += "<commission><commission-id>\(i)</commission-id><event-date>2026-06-14</event-date></commission>\n" }
        text += "<commission><event-date>2026-06-15</event-date><sid>x</commission>\n"
        text += "<commission><commission-id>after</commission-id><event-date>2026-06-16</event-date></commission>\n"
        let path = try TestPaths.write(text + "</commissions></cj-api>\n", to: folder + "/cut.xml")
        let result = Self.attempt(path, display: "cut.xml")
        #expect(result.rows.count > 50)
        #expect(result.rows.map(\.id) == (0..<result.rows.count).map { "\($0)" })
        #expect(
            result.error
                == .input("conversions cut.xml:102:67: not well-formed XML: opening and ending tag mismatch: sid line 102 and commission"))
    }

    /// The XML declaration's encoding is honoured; undeclared Latin-1 bytes are an error on one line.
    @Test func encodings() throws {
        let folder = try TestPaths.temporaryFolder()
        let body: [UInt8] = Array("<cj-api><commissions>\n<commission><event-date>2026-06-14</event-date><sid>caf".utf8) + [0xE9]
            + Array("</sid></commission></commissions></cj-api>\n".utf8)
        let declared = folder + "/declared.xml"
        let undeclared = folder + "/undeclared.xml"
        try Data(Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n".utf8) + body).write(to: URL(fileURLWithPath: declared))
        try Data(body).write(to: URL(fileURLWithPath: undeclared))

        let good = Self.attempt(declared, display: "declared.xml")
        #expect(good.error == nil)
        #expect(good.rows.map(\.campaign) == ["café"])

        let bad = Self.attempt(undeclared, display: "undeclared.xml")
        let message = try #require(bad.error?.description)
        #expect(message.hasPrefix("conversions undeclared.xml:2:"))
        #expect(message.contains("not proper UTF-8"))
        #expect(!message.contains("\n"))
    }
}
