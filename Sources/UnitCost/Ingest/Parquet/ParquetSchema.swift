/// The leaf columns of a Parquet schema with their levels, as Dremel's record shredding defines them.
///
/// The footer lists the schema depth first; each leaf's maximum definition level counts the optional
/// and repeated nodes on its path, its maximum repetition level the repeated ones. A CUR 2.0 map column
/// (`tags`) is three levels, `tags (MAP) → key_value (repeated) → key, value`, so its `value` leaf has
/// path `tags.key_value.value`, definition level up to 3 and repetition level up to 1.
struct ParquetSchema: Sendable {
    /// One leaf column.
    struct Leaf: Sendable {
        /// The names from the root's first child down to the leaf.
        var path: [String]
        var element: ParquetMetadata.SchemaElement
        var maxDefinition: Int
        var maxRepetition: Int
        /// The definition level at which the innermost repeated ancestor (a map's `key_value`) has an entry.
        var entryDefinition: Int?
        /// The dotted path, as messages and `path_in_schema` name it.
        var dotted: String { path.joined(separator: ".") }
    }

    /// Leaves in column-chunk order.
    var leaves: [Leaf] = []
    /// The top-level fields (the root's children), in order, each with its first leaf index and count.
    var topLevel: [(name: String, element: ParquetMetadata.SchemaElement, firstLeaf: Int, leafCount: Int)] = []

    init(_ elements: [ParquetMetadata.SchemaElement]) throws(ParquetError) {
        guard let root = elements.first else { throw ParquetError("schema: the footer has no schema") }
        var index = 1
        for _ in 0..<root.childCount {
            let first = leaves.count
            guard index < elements.count else { throw ParquetError("schema: the root declares more children than the footer lists") }
            let element = elements[index]
            try walk(elements, &index, path: [], definition: 0, repetition: 0, entry: nil, depth: 0)
            topLevel.append((element.name, element, first, leaves.count - first))
        }
        guard index == elements.count else { throw ParquetError("schema: \(elements.count - index) schema elements are not reachable from the root") }
    }

    private mutating func walk(_ elements: [ParquetMetadata.SchemaElement], _ index: inout Int, path: [String], definition: Int, repetition: Int, entry: Int?, depth: Int) throws(ParquetError) {
        guard depth < 64 else { throw ParquetError("schema: nested deeper than 64 levels") }
        guard index < elements.count else { throw ParquetError("schema: a group declares more children than the footer lists") }
        let element = elements[index]
        index += 1
        var definition = definition, repetition = repetition, entry = entry
        switch element.repetition ?? .required {
        case .required: break
        case .optional: definition += 1
        case .repeated: definition += 1; repetition += 1; entry = definition
        }
        let path = path + [element.name]
        if element.childCount == 0 {
            guard element.type != nil else { throw ParquetError("schema: leaf \(path.joined(separator: ".")) has no physical type") }
            leaves.append(Leaf(path: path, element: element, maxDefinition: definition, maxRepetition: repetition, entryDefinition: entry))
            return
        }
        for _ in 0..<element.childCount {
            try walk(elements, &index, path: path, definition: definition, repetition: repetition, entry: entry, depth: depth + 1)
        }
    }
}
