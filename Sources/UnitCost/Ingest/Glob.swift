#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// File name patterns expanded against the file system: `*`, `?`, `[…]` within one path component, and
/// `**` as a whole component for any number of folders, including none.
///
/// Results are the existing files and folders the pattern names, sorted by path, each once.
/// `cur/**/*.csv.gz` finds `cur/a.csv.gz` and `cur/x/y/b.csv.gz`; `cur/**` as the last component names
/// everything beneath `cur`. Hidden names (a leading `.`) are matched only by a component that spells
/// the dot (`.*`, `.cache`): `*`, `?`, `[…]` and `**` pass them by, and `**` never descends into them.
/// `**` does not follow symbolic links to folders, so a link cycle cannot make it loop. A pattern
/// without wildcards names one path, returned when it exists.
enum Glob {
    /// The existing paths `pattern` names, sorted and without duplicates.
    static func expand(_ pattern: String) -> [String] {
        guard hasWildcards(pattern) else { return exists(pattern) ? [pattern] : [] }
        let components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        // Partial matches, each an existing path ("" is the working folder for a relative pattern).
        var bases: [String] = [pattern.hasPrefix("/") ? "/" : ""]
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            var next: [String] = []
            for base in bases {
                if component == "**" {
                    if isLast {
                        descendants(of: base, into: &next, foldersOnly: false)
                    } else {
                        next.append(base)
                        descendants(of: base, into: &next, foldersOnly: true)
                    }
                } else if hasWildcards(component) {
                    for name in children(of: base) where matches(component, name) {
                        let path = join(base, name)
                        if isLast || isFolder(path) { next.append(path) }
                    }
                } else {
                    let path = join(base, component)
                    if isLast ? exists(path) : isFolder(path) { next.append(path) }
                }
            }
            // `**/**` or `a/**/**/b` reach one folder along several routes.
            bases = Array(Set(next))
        }
        return Array(Set(bases.filter { !$0.isEmpty && $0 != "/" })).sorted()
    }

    /// True when `text` holds a wildcard: `*`, `?` or `[`.
    static func hasWildcards(_ text: some StringProtocol) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// One component against one name, by fnmatch(3); FNM_PERIOD keeps `*` off hidden names.
    static func matches(_ component: String, _ name: String) -> Bool {
        fnmatch(component, name, FNM_PERIOD) == 0
    }

    /// Every non-hidden file beneath `folder`, at any depth, sorted; the folder's name is not a pattern.
    static func files(under folder: String) -> [String] {
        var paths: [String] = []
        descendants(of: folder, into: &paths, foldersOnly: false)
        return paths.filter { !isFolder($0) }.sorted()
    }

    private static func join(_ base: String, _ name: String) -> String {
        switch base {
        case "": return name
        case "/": return "/" + name
        default: return base + "/" + name
        }
    }

    private static func children(of base: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: base.isEmpty ? "." : base)) ?? []
    }

    /// Every non-hidden path beneath `base` (folders only when asked), without crossing folder links.
    private static func descendants(of base: String, into paths: inout [String], foldersOnly: Bool) {
        for name in children(of: base).sorted() where !name.hasPrefix(".") {
            let path = join(base, name)
            let folder = isFolder(path)
            if folder || !foldersOnly { paths.append(path) }
            if folder && !isLink(path) { descendants(of: path, into: &paths, foldersOnly: foldersOnly) }
        }
    }

    private static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path.isEmpty ? "." : path, isDirectory: &folder) && folder.boolValue
    }

    private static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }
}
