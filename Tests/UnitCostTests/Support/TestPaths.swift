import Foundation

/// Where tests find the repository's fixtures, examples and templates, and the shared samples beside
/// the repository, independent of the working directory.
enum TestPaths {
    /// The repository root (three folders above this file).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func fixture(_ relative: String) -> String { root + "/Tests/Fixtures/" + relative }
    static var templates: String { root + "/Templates" }
    static var demo: String { root + "/Examples/demo" }
    static var golden: String { root + "/Tests/Fixtures/golden" }

    /// `../shared` beside the repository; absent in a user's clone.
    static var shared: String { URL(fileURLWithPath: root).deletingLastPathComponent().path + "/shared" }
    static var hasShared: Bool { FileManager.default.fileExists(atPath: shared + "/schema/summary.schema.json") }

    /// The built `unitcost` binary, beside the test bundle.
    static var binary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = bundle.deletingLastPathComponent()
        if dir.lastPathComponent == "MacOS" { dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        return dir.path + "/unitcost"
    }

    /// A new empty temporary folder.
    static func temporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("unitcost-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Writes a file and returns its path.
    @discardableResult
    static func write(_ text: String, to path: String) throws -> String {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension TestPaths {
    /// `../shared/samples/billing`, the real public billing files (see its SOURCES.md).
    static var billingSamples: String { shared + "/samples/billing" }
    static var hasBillingSamples: Bool {
        FileManager.default.fileExists(atPath: billingSamples + "/focus-1.0_focus_sample_1000rows.csv")
    }
}

extension TestPaths {
    static var hasConversionSamples: Bool {
        FileManager.default.fileExists(atPath: shared + "/samples/conversions/effiliation_transactions.csv")
    }
}
