import Foundation

/// File helpers for the invocation-log tests, kept apart because Foundation's `Dimension` would shadow
/// UnitCost's in the test files themselves.
enum InvocationLogTestFiles {
    /// A copy of a fixture without its last `count` bytes, in a new temporary folder.
    static func truncatedCopy(of fixture: String, droppingLast count: Int) throws -> String {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture(fixture)))
        let path = try TestPaths.temporaryFolder() + "/" + URL(fileURLWithPath: fixture).lastPathComponent
        try bytes.prefix(max(0, bytes.count - count)).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `text` written to a new temporary file.
    static func write(_ text: String, name: String = "logs.json") throws -> String {
        try TestPaths.write(text, to: TestPaths.temporaryFolder() + "/" + name)
    }
}
