import Foundation

/// Writes a run's files into their folder all at once: everything goes to a temporary folder beside
/// it, which is renamed into place at the end, so a failed run never leaves half a report and the
/// previous reports stay as they were (SPEC §10).
public struct ReportWriter {
    /// The folder the reports end up in.
    public var destination: String

    /// A writer for one output folder.
    public init(destination: String) { self.destination = destination }

    /// Writes `files` (relative path → contents) and swaps the folder into place; returns the paths.
    @discardableResult
    public func write(_ files: [(path: String, contents: String)]) throws(UnitCostError) -> [String] {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: destination).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let stamp = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(stamp)")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(stamp)")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            var written: [String] = []
            for file in files {
                let url = try Self.inside(staging, file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
                written.append(target.appendingPathComponent(file.path).path)
            }
            if fm.fileExists(atPath: target.path) {
                try fm.moveItem(at: target, to: retired)
                do {
                    try fm.moveItem(at: staging, to: target)
                } catch {
                    try? fm.moveItem(at: retired, to: target)
                    throw error
                }
                try? fm.removeItem(at: retired)
            } else {
                try fm.moveItem(at: staging, to: target)
            }
            return written
        } catch let error as UnitCostError {
            try? fm.removeItem(at: staging)
            throw error
        } catch {
            try? fm.removeItem(at: staging)
            throw .output("output \(destination): cannot write the reports: \(error.localizedDescription)")
        }
    }

    /// The URL of a relative path inside `folder`; a path that would leave it is refused.
    static func inside(_ folder: URL, _ relative: String) throws(UnitCostError) -> URL {
        let parts = relative.split(separator: "/")
        guard !relative.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            throw .output("output: the path \"\(relative)\" would leave the output folder")
        }
        return folder.appendingPathComponent(relative)
    }
}
