import Foundation
import Testing

/// The broken-file corpus (`Tests/Fixtures/broken/`, issue 8): each damaged or hostile input gives its
/// exact error line and exit code, and a failed run writes nothing.
@Suite struct BrokenFileTests {
    /// What one case's `expected.txt` asks for.
    struct Expectation: CustomStringConvertible {
        var name: String
        var arguments: [String] = []
        var exit: Int32 = -1
        var stderr: [String] = []
        var files: [(written: String, expected: String)] = []
        var lines: [(file: String, line: String)] = []
        var description: String { name }

        init(case name: String) throws {
            self.name = name
            let text = try #require(TestPaths.read(BrokenFileTests.folder + "/" + name + "/expected.txt"), "\(name) has no expected.txt")
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) where !line.isEmpty && !line.hasPrefix("#") {
                if let value = line.dropping("args: ") {
                    arguments = value.split(separator: " ").map(String.init)
                } else if let value = line.dropping("exit: ") {
                    exit = try #require(Int32(value), "\(name): exit \(value)")
                } else if let value = line.dropping("stderr: ") {
                    stderr.append(value)
                } else if let value = line.dropping("file: ") {
                    let parts = value.components(separatedBy: " = ")
                    try #require(parts.count == 2, "\(name): \(line)")
                    files.append((parts[0], parts[1]))
                } else if let value = line.dropping("contains: ") {
                    let parts = value.components(separatedBy: " | ")
                    try #require(parts.count >= 2, "\(name): \(line)")
                    lines.append((parts[0], parts.dropFirst().joined(separator: " | ")))
                } else {
                    Issue.record("\(name)/expected.txt: a line that is not #, args:, exit:, stderr:, file: or contains:: \(line)")
                }
            }
        }
    }

    static let folder = TestPaths.fixture("broken")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { FileManager.default.fileExists(atPath: folder + "/" + $0 + "/expected.txt") }.sorted()
    }

    @Test func theCorpusHoldsTheCasesTheIssueNames() {
        let required = [
            "cur2-truncated-gzip", "cur2-invalid-utf8", "cur2-duplicate-column", "cur2-missing-column", "cur2-mixed-currency",
            "cur2-date-out-of-range", "cur2-unclosed-quote", "cur2-nul-bytes", "conversions-csv-two-currencies", "conversions-csv-unclosed-quote",
            "conversions-xml-truncated", "legacy-bad-cost", "focus-mixed-currency", "parquet-truncated", "logs-truncated-gzip", "keep-going",
        ]
        #expect(Set(required).subtracting(Self.cases).isEmpty, "missing: \(Set(required).subtracting(Self.cases).sorted())")
    }

    @Test(arguments: cases)
    func eachCaseGivesItsExactErrorAndExitCode(_ name: String) throws {
        let expected = try Expectation(case: name)
        let out = try TestPaths.temporaryFolder() + "/Reports"
        let run = try CommandLineTests.run(
            expected.arguments + ["--config", "unitcost.yaml", "--out", out, "--templates", TestPaths.templates], in: Self.folder + "/" + name)
        #expect(run.status == expected.exit, "\(name): exit \(run.status)\n\(run.stderr)")
        let stderr = run.stderr.split(separator: "\n").map(String.init)
        #expect(stderr == expected.stderr, "\(name): standard error differs")
        if expected.exit != 0 {
            #expect(!FileManager.default.fileExists(atPath: out), "\(name): a failed run wrote \(out)")
        }
        let period = out + "/" + (expected.arguments.firstIndex(of: "--period").map { expected.arguments[$0 + 1] } ?? "")
        for (written, wanted) in expected.files {
            #expect(TestPaths.read(period + "/" + written) == TestPaths.read(Self.folder + "/" + name + "/" + wanted), "\(name): \(written) differs from \(wanted)")
        }
        for (file, line) in expected.lines {
            let text = TestPaths.read(period + "/" + file) ?? ""
            #expect(text.split(separator: "\n").contains { $0 == line }, "\(name): \(file) lacks the line: \(line)")
        }
    }

    @Test func checkWithKeepGoingListsTheRejectsAndWritesNothing() throws {
        let run = try CommandLineTests.run(
            ["check", "--period", "2026-06", "--config", "unitcost.yaml", "--keep-going", "--templates", TestPaths.templates], in: Self.folder + "/keep-going")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\n### billing cur.csv: 2 rejected\n"))
        #expect(run.stdout.contains("| 3 | created\\_at | \\\"2026-02-30\\\" is not a date or date-time |"), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: Self.folder + "/keep-going/Reports"))
    }

    @Test func withoutKeepGoingTheKeepGoingCaseFailsAndWritesNothing() throws {
        let out = try TestPaths.temporaryFolder() + "/Reports"
        let run = try CommandLineTests.run(
            ["report", "--period", "2026-06", "--only", "media,finance", "--config", "unitcost.yaml", "--out", out], in: Self.folder + "/keep-going")
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("unitcost: error: billing cur.csv:3: line_item_currency_code \"EUR\" differs from the report currency USD"))
        #expect(run.stderr.contains("unitcost: error: conversions orders.csv:3: created_at \"2026-02-30\" is not a date or date-time\n"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

extension String {
    /// The rest of the string after `prefix`, or nil when it does not start with it.
    fileprivate func dropping(_ prefix: String) -> String? { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil }
}
