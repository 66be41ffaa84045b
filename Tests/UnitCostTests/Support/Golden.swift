import Foundation
import Testing

/// Golden-file comparison shared by every report's golden tests: `actual` must equal the file at
/// `golden/<relative>`; with `RECORD_GOLDEN=1` the file is written instead and the test still fails, so
/// nobody records by accident.
enum Golden {
    static func check(_ actual: String, against relative: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = TestPaths.golden + "/" + relative
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try TestPaths.write(actual, to: path)
            Issue.record("recorded \(path); run again without RECORD_GOLDEN to check it", sourceLocation: sourceLocation)
            return
        }
        let expected = try #require(TestPaths.read(path), "no golden file \(path); record it with RECORD_GOLDEN=1", sourceLocation: sourceLocation)
        #expect(actual == expected, "\(relative) differs from \(path); if the change is intended, re-record with RECORD_GOLDEN=1", sourceLocation: sourceLocation)
    }
}
