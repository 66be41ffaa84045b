import Foundation
import Mustache

/// The report templates, read from a `Templates/` folder that users may edit.
///
/// Each `*.mustache` file below the folder is registered by its path without the extension, e.g.
/// `media/report.md`. Markdown templates start with `{{% CONTENT_TYPE: MARKDOWN}}` so values are
/// escaped for Markdown; HTML templates escape for HTML (swift-mustache's default). A template that
/// does not parse is an error naming its file, line and column.
public struct TemplateSet: Sendable {
    /// The folder the templates came from.
    public let directory: String
    private let templates: [String: MustacheTemplate]

    /// The templates every run needs.
    public static let required = ["media/report.md", "media/report.html", "media/methodology.md", "data-quality.md"]

    /// Loads and parses every template under `directory`.
    public init(directory: String) throws(UnitCostError) {
        MarkdownContentType.register()
        self.directory = directory
        var templates: [String: MustacheTemplate] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: directory) else {
            throw .input("templates \(directory): cannot read the folder")
        }
        for case let relative as String in walker where relative.hasSuffix(".mustache") {
            let file = directory + "/" + relative
            guard let data = fm.contents(atPath: file) else { throw .input("templates \(file): cannot read the file") }
            do {
                templates[String(relative.dropLast(".mustache".count))] = try MustacheTemplate(string: String(decoding: data, as: UTF8.self))
            } catch let error as MustacheTemplate.ParserError {
                throw .input(
                    "templates \(file):\(error.context.lineNumber):\(error.context.columnNumber): \(error.error) in \"\(error.context.line.trimmingSpaces)\"")
            } catch {
                throw .input("templates \(file): \(error)")
            }
        }
        for name in TemplateSet.required where templates[name] == nil {
            throw .input("templates \(directory): \(name).mustache is missing")
        }
        self.templates = templates
    }

    /// No templates: for a run whose outputs render none (JSON, CSV); rendering with it names the
    /// template as missing.
    static let none = TemplateSet(directory: "(none)", templates: [:])

    private init(directory: String, templates: [String: MustacheTemplate]) {
        self.directory = directory
        self.templates = templates
    }

    /// Renders a template with a view model of dictionaries, arrays and strings.
    public func render(_ name: String, _ model: [String: Any]) throws(UnitCostError) -> String {
        guard let template = templates[name] else { throw .input("templates \(directory): \(name).mustache is missing") }
        var library = MustacheLibrary()
        for (key, value) in templates { library.register(value, named: key) }
        return template.render(model, library: library)
    }

    /// Finds the default templates: `./Templates`, else a `Templates` folder beside the executable or
    /// up to five folders above it (a built checkout keeps the binary under `.build/…`).
    public static func defaultDirectory() -> String? {
        ResourceLocator.find("Templates", containing: "media/report.md.mustache")
    }
}

/// Finds the folders a checkout ships beside the binary (`Templates/`, `Examples/demo/`).
public enum ResourceLocator {
    /// The first `name` folder holding `marker`: in the working directory, then beside the executable
    /// and up to five folders above it.
    public static func find(_ name: String, containing marker: String) -> String? {
        let fm = FileManager.default
        var candidates = [fm.currentDirectoryPath]
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.path)
            dir = dir.deletingLastPathComponent()
        }
        for base in candidates {
            let folder = base + "/" + name
            if fm.fileExists(atPath: folder + "/" + marker) { return folder }
        }
        return nil
    }
}
