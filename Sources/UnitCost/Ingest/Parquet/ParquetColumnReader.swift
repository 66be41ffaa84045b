import CZlib

/// One column chunk decoded: its levels and its non-null values.
///
/// `definitionLevels` is empty when the column is required at every level (max definition 0), and
/// `repetitionLevels` when nothing on its path repeats; otherwise both hold one entry per level-value,
/// and `values` holds one entry per definition level equal to the maximum.
struct ParquetColumnData: Sendable {
    var levelCount = 0
    var definitionLevels: [UInt8] = []
    var repetitionLevels: [UInt8] = []
    var values: ParquetValues
    /// For a chunk with a dictionary: per non-null value, its index into `values`, which then holds the
    /// dictionary's entries followed by any values of pages written without it (parquet-mr falls back
    /// to PLAIN when a dictionary grows too large). Dictionary pages are never expanded value by value.
    var indexed: [Int32]?
    /// Encodings met in the chunk's pages (dictionary page first), for `inspect`.
    var pageEncodings: [String] = []
}

/// Decodes the pages of one column chunk: data pages v1 and v2, dictionary pages, every codec AWS's
/// writers use (Snappy, GZIP, none) and the value encodings of `ParquetValueDecoder`.
///
/// Anything else — another codec, an unknown encoding, an index page in the middle, levels
/// declared `BIT_PACKED` with a non-zero width — is an error naming the page; nothing is guessed.
struct ParquetColumnReader {
    let leaf: ParquetSchema.Leaf
    let chunk: ParquetMetadata.ColumnChunk

    /// Decodes every page in `bytes` (the chunk's bytes from its first page on); `page` in errors counts
    /// from 0, the dictionary page included.
    func decode(_ bytes: UnsafeRawBufferPointer) throws(ParquetColumnReader.Failure) -> ParquetColumnData {
        guard let codec = ParquetMetadata.Codec(rawValue: chunk.codecRaw), [.uncompressed, .snappy, .gzip].contains(codec) else {
            let name = ParquetMetadata.Codec(rawValue: chunk.codecRaw)?.description ?? "codec \(chunk.codecRaw)"
            throw Failure(page: 0, error: ParquetError("the compression codec \(name) is not supported (only SNAPPY, GZIP and UNCOMPRESSED)"))
        }
        // Levels are kept as bytes: CUR's deepest column (a map's value) has three.
        guard leaf.maxDefinition <= Int(UInt8.max), leaf.maxRepetition <= Int(UInt8.max) else {
            throw Failure(page: nil, error: ParquetError("a column nested \(max(leaf.maxDefinition, leaf.maxRepetition)) levels deep is not supported (at most 255)"))
        }
        var data = ParquetColumnData(values: .empty(chunk.type))
        var dictionary: ParquetValues?
        var position = 0
        var page = 0
        let typeLength = Int(leaf.element.typeLength ?? -1)
        while data.levelCount < Int(chunk.valueCount) {
            do throws(ParquetError) {
                guard position < bytes.count else {
                    throw ParquetError("the chunk ends after \(data.levelCount) of its \(chunk.valueCount) values")
                }
                let header = try ParquetPageHeader(decoding: UnsafeRawBufferPointer(rebasing: bytes[position...]))
                let payloadStart = position + header.headerLength
                guard Int(header.compressedSize) <= bytes.count - payloadStart else {
                    throw ParquetError("the page's \(header.compressedSize) bytes run past the column chunk")
                }
                let payload = UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<payloadStart + Int(header.compressedSize)])
                position = payloadStart + Int(header.compressedSize)
                switch header.kind {
                case .dictionary:
                    guard dictionary == nil else { throw ParquetError("a second dictionary page") }
                    guard header.encodingRaw == ParquetMetadata.Encoding.plain.rawValue || header.encodingRaw == ParquetMetadata.Encoding.plainDictionary.rawValue else {
                        throw ParquetError("a dictionary page in \(ParquetMetadata.Encoding.name(header.encodingRaw)) (expected PLAIN)")
                    }
                    let raw = try Self.inflate(payload, codec: codec, expected: Int(header.uncompressedSize))
                    var values = ParquetValues.empty(chunk.type)
                    try raw.withBytes { (b) throws(ParquetError) in
                        _ = try ParquetValueDecoder.plain(b, count: Int(header.valueCount), type: chunk.type, typeLength: typeLength, into: &values)
                    }
                    guard data.values.count == 0 else { throw ParquetError("a dictionary page after data pages") }
                    dictionary = values
                    data.values = values
                    data.indexed = []
                    data.pageEncodings.append("dictionary " + ParquetMetadata.Encoding.name(header.encodingRaw))
                case .data:
                    let raw = try Self.inflate(payload, codec: codec, expected: Int(header.uncompressedSize))
                    try raw.withBytes { (b) throws(ParquetError) in
                        var p = 0
                        if leaf.maxRepetition > 0 {
                            p += try levelsV1(b, from: p, count: Int(header.valueCount), maximum: leaf.maxRepetition, encoding: header.repetitionEncodingRaw, into: &data.repetitionLevels)
                        }
                        if leaf.maxDefinition > 0 {
                            p += try levelsV1(b, from: p, count: Int(header.valueCount), maximum: leaf.maxDefinition, encoding: header.definitionEncodingRaw, into: &data.definitionLevels)
                        }
                        let present = presentCount(data, last: Int(header.valueCount))
                        try values(UnsafeRawBufferPointer(rebasing: b[p...]), count: present, encoding: header.encodingRaw, dictionary: dictionary, typeLength: typeLength, into: &data)
                    }
                    data.levelCount += Int(header.valueCount)
                    note(header.encodingRaw, in: &data)
                case .dataV2:
                    let levelBytes = Int(header.repetitionLevelsLength) + Int(header.definitionLevelsLength)
                    guard header.repetitionLevelsLength >= 0, header.definitionLevelsLength >= 0, levelBytes <= payload.count else {
                        throw ParquetError("the page's level lengths (\(header.repetitionLevelsLength) + \(header.definitionLevelsLength)) exceed its \(payload.count) bytes")
                    }
                    let count = Int(header.valueCount)
                    if leaf.maxRepetition > 0 {
                        var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: payload[0..<Int(header.repetitionLevelsLength)]), bitWidth: RLEHybridDecoder.bitWidth(forMaximum: leaf.maxRepetition))
                        try decoder.decode(count, into: &data.repetitionLevels)
                    }
                    if leaf.maxDefinition > 0 {
                        let from = Int(header.repetitionLevelsLength)
                        var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: payload[from..<from + Int(header.definitionLevelsLength)]), bitWidth: RLEHybridDecoder.bitWidth(forMaximum: leaf.maxDefinition))
                        try decoder.decode(count, into: &data.definitionLevels)
                    }
                    try checkLevels(data, last: count)
                    let body = UnsafeRawBufferPointer(rebasing: payload[levelBytes...])
                    let raw = header.isCompressed ? try Self.inflate(body, codec: codec, expected: Int(header.uncompressedSize) - levelBytes) : Array(body)
                    let present = presentCount(data, last: count)
                    try raw.withBytes { (b) throws(ParquetError) in
                        try values(b, count: present, encoding: header.encodingRaw, dictionary: dictionary, typeLength: typeLength, into: &data)
                    }
                    data.levelCount += count
                    note(header.encodingRaw, in: &data)
                case .index:
                    throw ParquetError("an index page inside the column chunk is not supported")
                case nil:
                    throw ParquetError("unknown page type \(header.kindRaw)")
                }
            } catch {
                throw Failure(page: page, error: error)
            }
            page += 1
        }
        return data
    }

    /// An error with the page it happened on (nil: the chunk as a whole).
    struct Failure: Error {
        var page: Int?
        var error: ParquetError
    }

    private func note(_ encoding: Int32, in data: inout ParquetColumnData) {
        let name = ParquetMetadata.Encoding.name(encoding)
        if !data.pageEncodings.contains(name) { data.pageEncodings.append(name) }
    }

    /// Levels in a v1 data page: RLE with a 4-byte length in front. `BIT_PACKED` is accepted only
    /// where nothing is stored (it is what parquet-mr declares for absent levels).
    private func levelsV1(_ b: UnsafeRawBufferPointer, from p: Int, count: Int, maximum: Int, encoding: Int32, into out: inout [UInt8]) throws(ParquetError) -> Int {
        guard encoding == ParquetMetadata.Encoding.rle.rawValue else {
            throw ParquetError("levels in \(ParquetMetadata.Encoding.name(encoding)) are not supported (expected RLE)")
        }
        guard p + 4 <= b.count else { throw ParquetError("the levels' length is cut short") }
        let length = Int(b.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian)
        guard length <= b.count - p - 4 else { throw ParquetError("levels of \(length) bytes run past the page") }
        var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: b[(p + 4)..<(p + 4 + length)]), bitWidth: RLEHybridDecoder.bitWidth(forMaximum: maximum))
        let before = out.count
        try decoder.decode(count, into: &out)
        let highest = out.withUnsafeBufferPointer { levels in
            var highest: UInt8 = 0
            for i in before..<levels.count { highest = max(highest, levels[i]) }
            return highest
        }
        if Int(highest) > maximum { throw ParquetError("a level of \(out[before...].first { Int($0) > maximum }!) is above the column's maximum \(maximum)") }
        return 4 + length
    }

    private func checkLevels(_ data: ParquetColumnData, last count: Int) throws(ParquetError) {
        if let bad = data.definitionLevels.suffix(count).first(where: { Int($0) > leaf.maxDefinition }) {
            throw ParquetError("a definition level of \(bad) is above the column's maximum \(leaf.maxDefinition)")
        }
        if let bad = data.repetitionLevels.suffix(count).first(where: { Int($0) > leaf.maxRepetition }) {
            throw ParquetError("a repetition level of \(bad) is above the column's maximum \(leaf.maxRepetition)")
        }
    }

    /// How many of the page's last `count` level-values carry a value.
    private func presentCount(_ data: ParquetColumnData, last count: Int) -> Int {
        guard leaf.maxDefinition > 0 else { return count }
        let top = UInt8(leaf.maxDefinition)
        return data.definitionLevels.withUnsafeBufferPointer { levels in
            var present = 0
            for i in max(0, levels.count - count)..<levels.count where levels[i] == top { present &+= 1 }
            return present
        }
    }

    /// Decodes a data page's `count` values into `data`: dictionary indices as they are, other
    /// encodings appended to `values` (and, in a chunk with a dictionary, indexed).
    private func values(_ b: UnsafeRawBufferPointer, count: Int, encoding: Int32, dictionary: ParquetValues?, typeLength: Int, into data: inout ParquetColumnData) throws(ParquetError) {
        if encoding == ParquetMetadata.Encoding.plainDictionary.rawValue || encoding == ParquetMetadata.Encoding.rleDictionary.rawValue {
            guard let dictionary, data.indexed != nil else { throw ParquetError("a \(ParquetMetadata.Encoding.name(encoding)) page without a dictionary page before it") }
            guard count > 0 else { return }
            guard b.count >= 1 else { throw ParquetError("the dictionary indices' bit width is missing") }
            var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: b[1...]), bitWidth: Int(b[0]))
            let size = dictionary.count
            if let bad = try decoder.decodeIndices(count, into: &data.indexed!, below: size) {
                throw ParquetError("dictionary: index \(bad) is past the dictionary's \(size) entries")
            }
            return
        }
        let before = data.values.count
        try values(b, count: count, encoding: encoding, typeLength: typeLength, into: &data.values)
        if data.indexed != nil { data.indexed!.append(contentsOf: (Int32(before)..<Int32(data.values.count))) }
    }

    private func values(_ b: UnsafeRawBufferPointer, count: Int, encoding: Int32, typeLength: Int, into out: inout ParquetValues) throws(ParquetError) {
        guard let kind = ParquetMetadata.Encoding(rawValue: encoding) else {
            throw ParquetError("the value encoding \(encoding) is not supported")
        }
        switch kind {
        case .plain:
            try ParquetValueDecoder.plain(b, count: count, type: chunk.type, typeLength: typeLength, into: &out)
        case .deltaBinaryPacked:
            let (decoded, _) = try ParquetValueDecoder.deltaBinaryPacked(b, limit: count)
            guard decoded.count == count else { throw ParquetError("\(decoded.count) delta-packed values where the levels promise \(count)") }
            switch out {
            case .int32(var v):
                out = .boolean([])
                v.append(contentsOf: decoded.map { Int32(truncatingIfNeeded: $0) })
                out = .int32(v)
            case .int64(var v):
                out = .boolean([])
                v.append(contentsOf: decoded)
                out = .int64(v)
            default: throw ParquetError("DELTA_BINARY_PACKED on a column that is not INT32 or INT64")
            }
        case .deltaLengthByteArray, .deltaByteArray:
            guard case .bytes(var v) = out, chunk.type == .byteArray else { throw ParquetError("\(kind) on a column that is not BYTE_ARRAY") }
            out = .boolean([])
            if kind == .deltaLengthByteArray {
                _ = try ParquetValueDecoder.deltaLengthByteArray(b, count: count, into: &v)
            } else {
                try ParquetValueDecoder.deltaByteArray(b, count: count, into: &v)
            }
            out = .bytes(v)
        case .rle where chunk.type == .boolean:
            guard b.count >= 4 else { throw ParquetError("RLE booleans without their length") }
            var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: b[4...]), bitWidth: 1)
            var bits: [UInt32] = []
            try decoder.decode(count, into: &bits)
            guard case .boolean(var v) = out else { throw ParquetError("RLE booleans on a column that is not BOOLEAN") }
            v.append(contentsOf: bits.map { $0 == 1 })
            out = .boolean(v)
        default:
            throw ParquetError("the value encoding \(kind) is not supported")
        }
    }

    /// A page's bytes after its codec.
    static func inflate(_ payload: UnsafeRawBufferPointer, codec: ParquetMetadata.Codec, expected: Int) throws(ParquetError) -> [UInt8] {
        guard expected >= 0 else { throw ParquetError("a negative uncompressed size") }
        switch codec {
        case .uncompressed:
            guard payload.count == expected else { throw ParquetError("an uncompressed page of \(payload.count) bytes where the header says \(expected)") }
            return Array(payload)
        case .snappy:
            return try Snappy.decompress(payload, expected: expected)
        case .gzip:
            return try gunzip(payload, expected: expected)
        default:
            throw ParquetError("the compression codec \(codec) is not supported")
        }
    }

    /// Inflates a GZIP (or zlib) page of known size with zlib.
    static func gunzip(_ payload: UnsafeRawBufferPointer, expected: Int) throws(ParquetError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expected)
        var stream = z_stream()
        guard czlib_inflate_init2(&stream, 15 + 32) == Z_OK else { throw ParquetError("gzip: zlib could not start") }
        defer { inflateEnd(&stream) }
        let status: Int32 = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: payload.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(payload.count)
            stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(out.count)
            return CZlib.inflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expected else {
            throw ParquetError("gzip: the page does not inflate to its declared \(expected) bytes (zlib status \(status))")
        }
        return output
    }
}
