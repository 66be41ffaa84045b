/// Parquet's footer and page headers (`parquet.thrift` in apache/parquet-format), as far as a reader of
/// AWS's billing exports needs them. Field numbers in the decoders are the Thrift ids of that file.
struct ParquetMetadata: Sendable {
    /// Physical types.
    enum PhysicalType: Int32, Sendable {
        case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
    }

    /// Value and level encodings.
    enum Encoding: Int32, Sendable, CustomStringConvertible {
        case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5, deltaLengthByteArray = 6
        case deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9

        var description: String {
            switch self {
            case .plain: "PLAIN"
            case .plainDictionary: "PLAIN_DICTIONARY"
            case .rle: "RLE"
            case .bitPacked: "BIT_PACKED"
            case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
            case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
            case .deltaByteArray: "DELTA_BYTE_ARRAY"
            case .rleDictionary: "RLE_DICTIONARY"
            case .byteStreamSplit: "BYTE_STREAM_SPLIT"
            }
        }

        /// The name of an encoding number, known or not, for messages.
        static func name(_ raw: Int32) -> String { Encoding(rawValue: raw)?.description ?? "encoding \(raw)" }
    }

    /// Compression codecs.
    enum Codec: Int32, Sendable, CustomStringConvertible {
        case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7

        var description: String {
            switch self {
            case .uncompressed: "UNCOMPRESSED"
            case .snappy: "SNAPPY"
            case .gzip: "GZIP"
            case .lzo: "LZO"
            case .brotli: "BROTLI"
            case .lz4: "LZ4"
            case .zstd: "ZSTD"
            case .lz4Raw: "LZ4_RAW"
            }
        }
    }

    /// Field repetition.
    enum Repetition: Int32, Sendable { case required = 0, optional = 1, repeated = 2 }

    /// One node of the schema, in the footer's depth-first order.
    struct SchemaElement: Sendable {
        var name = ""
        var type: PhysicalType?
        var typeLength: Int32?
        var repetition: Repetition?
        var childCount = 0
        /// `ConvertedType` (1 MAP, 2 MAP_KEY_VALUE, 3 LIST, 0 UTF8, 5 DECIMAL, 9/10 TIMESTAMP_MILLIS/MICROS).
        var convertedType: Int32?
        var scale: Int32?
        var precision: Int32?
        /// The `LogicalType` union's member id (1 STRING, 2 MAP, 3 LIST, 5 DECIMAL, 8 TIMESTAMP, …).
        var logicalType: Int16?
        /// For a TIMESTAMP logical type, the unit: 1 millis, 2 micros, 3 nanos.
        var timestampUnit: Int16?
        /// For a DECIMAL logical type.
        var logicalScale: Int32?
    }

    /// One column's chunk in a row group.
    struct ColumnChunk: Sendable {
        var filePath: String?
        var type: PhysicalType = .byteArray
        var typeRaw: Int32 = 0
        var encodings: [Int32] = []
        var path: [String] = []
        var codecRaw: Int32 = 0
        var valueCount: Int64 = 0
        var uncompressedSize: Int64 = 0
        var compressedSize: Int64 = 0
        var dataPageOffset: Int64 = 0
        var dictionaryPageOffset: Int64?
        var encrypted = false

        /// Where the chunk's first page starts: the dictionary page when there is one.
        var start: Int64 {
            if let d = dictionaryPageOffset, d > 0, d < dataPageOffset { return d }
            return dataPageOffset
        }
    }

    /// One row group.
    struct RowGroup: Sendable {
        var columns: [ColumnChunk] = []
        var rowCount: Int64 = 0
        var totalByteSize: Int64 = 0
    }

    var version: Int32 = 0
    var schema: [SchemaElement] = []
    var rowCount: Int64 = 0
    var rowGroups: [RowGroup] = []
    var keyValues: [(key: String, value: String?)] = []
    var createdBy: String?
    var encrypted = false

    /// Decodes a `FileMetaData` structure.
    init(decoding bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var reader = ThriftCompactReader(bytes)
        var meta = ParquetMetadata.empty
        try reader.fields { r, id, type throws(ParquetError) in
            switch id {
            case 1: meta.version = try r.i32()
            case 2: meta.schema = try r.list { r, _ throws(ParquetError) in try Self.schemaElement(&r) }
            case 3: meta.rowCount = try r.i64()
            case 4: meta.rowGroups = try r.list { r, _ throws(ParquetError) in try Self.rowGroup(&r) }
            case 5:
                meta.keyValues = try r.list { r, _ throws(ParquetError) in
                    var pair: (key: String, value: String?) = ("", nil)
                    try r.fields { r, id, _ throws(ParquetError) in
                        switch id {
                        case 1: pair.key = try r.string()
                        case 2: pair.value = try r.string()
                        default: return false
                        }
                        return true
                    }
                    return pair
                }
            case 6: meta.createdBy = try r.string()
            case 8: meta.encrypted = true; return false
            default: return false
            }
            return true
        }
        self = meta
    }

    private init() {}
    private static var empty: ParquetMetadata { ParquetMetadata() }

    static func schemaElement(_ r: inout ThriftCompactReader) throws(ParquetError) -> SchemaElement {
        var e = SchemaElement()
        try r.fields { r, id, _ throws(ParquetError) in
            switch id {
            case 1:
                let raw = try r.i32()
                guard let t = PhysicalType(rawValue: raw) else { throw ParquetError("schema: unknown physical type \(raw)") }
                e.type = t
            case 2: e.typeLength = try r.i32()
            case 3:
                let raw = try r.i32()
                guard let rep = Repetition(rawValue: raw) else { throw ParquetError("schema: unknown repetition \(raw)") }
                e.repetition = rep
            case 4: e.name = try r.string()
            case 5:
                let n = try r.i32()
                guard n >= 0 else { throw ParquetError("schema: a negative child count \(n)") }
                e.childCount = Int(n)
            case 6: e.convertedType = try r.i32()
            case 7: e.scale = try r.i32()
            case 8: e.precision = try r.i32()
            case 10:
                try r.fields { r, member, _ throws(ParquetError) in
                    e.logicalType = member
                    switch member {
                    case 5:
                        try r.fields { r, id, _ throws(ParquetError) in
                            guard id == 1 else { return false }
                            e.logicalScale = try r.i32()
                            return true
                        }
                    case 8:
                        try r.fields { r, id, _ throws(ParquetError) in
                            guard id == 2 else { return false }
                            try r.fields { _, unit, _ throws(ParquetError) in
                                e.timestampUnit = unit
                                return false
                            }
                            return true
                        }
                    default: return false
                    }
                    return true
                }
            default: return false
            }
            return true
        }
        return e
    }

    static func rowGroup(_ r: inout ThriftCompactReader) throws(ParquetError) -> RowGroup {
        var g = RowGroup()
        try r.fields { r, id, _ throws(ParquetError) in
            switch id {
            case 1: g.columns = try r.list { r, _ throws(ParquetError) in try Self.columnChunk(&r) }
            case 2: g.totalByteSize = try r.i64()
            case 3: g.rowCount = try r.i64()
            default: return false
            }
            return true
        }
        return g
    }

    static func columnChunk(_ r: inout ThriftCompactReader) throws(ParquetError) -> ColumnChunk {
        var c = ColumnChunk()
        try r.fields { r, id, _ throws(ParquetError) in
            switch id {
            case 1: c.filePath = try r.string()
            case 3:
                try r.fields { r, id, _ throws(ParquetError) in
                    switch id {
                    case 1:
                        c.typeRaw = try r.i32()
                        guard let t = PhysicalType(rawValue: c.typeRaw) else { throw ParquetError("column: unknown physical type \(c.typeRaw)") }
                        c.type = t
                    case 2: c.encodings = try r.list { r, _ throws(ParquetError) in try r.i32() }
                    case 3: c.path = try r.list { r, _ throws(ParquetError) in try r.string() }
                    case 4: c.codecRaw = try r.i32()
                    case 5: c.valueCount = try r.i64()
                    case 6: c.uncompressedSize = try r.i64()
                    case 7: c.compressedSize = try r.i64()
                    case 9: c.dataPageOffset = try r.i64()
                    case 11: c.dictionaryPageOffset = try r.i64()
                    default: return false
                    }
                    return true
                }
            case 8, 9: c.encrypted = true; return false
            default: return false
            }
            return true
        }
        return c
    }
}

/// One page's header.
struct ParquetPageHeader: Sendable {
    enum Kind: Int32, Sendable { case data = 0, index = 1, dictionary = 2, dataV2 = 3 }

    var kindRaw: Int32 = -1
    var uncompressedSize: Int32 = 0
    var compressedSize: Int32 = 0
    var valueCount: Int32 = 0
    var encodingRaw: Int32 = 0
    var definitionEncodingRaw: Int32 = 3
    var repetitionEncodingRaw: Int32 = 3
    // Data page v2 only.
    var nullCount: Int32 = 0
    var rowCount: Int32 = 0
    var definitionLevelsLength: Int32 = 0
    var repetitionLevelsLength: Int32 = 0
    var isCompressed = true
    /// The header's own length in bytes.
    var headerLength = 0

    var kind: Kind? { Kind(rawValue: kindRaw) }

    /// Decodes a `PageHeader` at the start of `bytes`.
    init(decoding bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var reader = ThriftCompactReader(bytes)
        var h = ParquetPageHeader()
        try reader.fields { r, id, type throws(ParquetError) in
            switch id {
            case 1: h.kindRaw = try r.i32()
            case 2: h.uncompressedSize = try r.i32()
            case 3: h.compressedSize = try r.i32()
            case 5:
                try r.fields { r, id, _ throws(ParquetError) in
                    switch id {
                    case 1: h.valueCount = try r.i32()
                    case 2: h.encodingRaw = try r.i32()
                    case 3: h.definitionEncodingRaw = try r.i32()
                    case 4: h.repetitionEncodingRaw = try r.i32()
                    default: return false
                    }
                    return true
                }
            case 7:
                try r.fields { r, id, _ throws(ParquetError) in
                    switch id {
                    case 1: h.valueCount = try r.i32()
                    case 2: h.encodingRaw = try r.i32()
                    default: return false
                    }
                    return true
                }
            case 8:
                try r.fields { r, id, type throws(ParquetError) in
                    switch id {
                    case 1: h.valueCount = try r.i32()
                    case 2: h.nullCount = try r.i32()
                    case 3: h.rowCount = try r.i32()
                    case 4: h.encodingRaw = try r.i32()
                    case 5: h.definitionLevelsLength = try r.i32()
                    case 6: h.repetitionLevelsLength = try r.i32()
                    case 7: h.isCompressed = type == ThriftCompactReader.WireType.boolTrue.rawValue
                    default: return false
                    }
                    return true
                }
            default: return false
            }
            return true
        }
        guard h.uncompressedSize >= 0, h.compressedSize >= 0, h.valueCount >= 0 else {
            throw ParquetError("page header: a negative size or value count")
        }
        h.headerLength = reader.position
        self = h
    }

    private init() {}
}
