// A large plain CSV file is read from its start by this thread, which hands every chunk it reads to the
// checksum's chain (`ChainDigest`); another thread hashes the chunks meanwhile. SHA-256 is one serial
// chain, as fast as one core hashes, and on this host about as costly per byte as reading a row: hashing
// the reader's own chunks, rather than reading the file a second time for the checksum, saves the chain
// a copy, and keeps both cores busy, one reading rows, the other hashing them (docs/PERFORMANCE.md,
// thirteenth round).
//
// When the rows cost clearly more than hashing (a file of mostly Bedrock rows, say), the other thread
// would wait, so it also reads the rows of the file's second half, from a cut just after a line feed
// near the middle, into its own `ReadState` and empty sibling of the sink, hashing this thread's chunks
// between its rows (`ChainDigest.help`); this thread reads up to the cut and then hashes the rest of the
// file by reading it again, while the other reads its rows. The other thread starts on the second half
// at once; this thread times its rows and the hashing over a sample of the file (`sampleBytes` after
// `warmUpBytes`) and, when rows cost no more than hashing a byte read again (`splitPays`), stops it: it
// then only hashes, and this thread reads every row. (Waiting for the sample before starting the second
// half left the other thread idle that long; stopping it costs the few rows it read meanwhile.)
//
// This thread's read is the one-thread read: it reads into `sink` itself, and at the cut it stops only if
// the later part read without failure and a record starts exactly at the cut. The parts are then joined
// in file order: counts and sums add, the later part's line numbers move on by the lines before the cut,
// its rejects and rate mismatches are listed after, and the sink absorbs the later sibling. Otherwise (the
// cut fell inside a quoted field, the later part met an error or a row the sink refuses) this thread
// simply reads on to the end, so errors are reported exactly as the one-thread read finds them.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

extension BillingReader {
    /// The smallest plain CSV file read with its checksum taken on another thread (`readLargePlain`):
    /// 64 MiB. Below it a second thread saves little.
    static let partsMinimum = 64 << 20

    /// A flag raised when one part of a read in parts is of no use any more (the read failed, or the
    /// parts cannot be joined), so the other stops early.
    final class StopFlag: Sendable {
        private let raised = Atomic<Bool>(false)
        func raise() { raised.store(true, ordering: .relaxed) }
        var isRaised: Bool { raised.load(ordering: .relaxed) }
    }

    /// A value handed to another thread and back, used by one thread at a time.
    struct Handoff<Value>: @unchecked Sendable {
        var value: Value
    }

    /// Where to cut a plain file of `size` bytes: just after the first line feed at or after `near`;
    /// nil when the 1 MiB from `near` on hold none, or the cut would leave a part empty.
    static func cut(path: String, near: Int, size: Int) -> Int? {
        guard near > 0, near < size else { return nil }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let window = min(1 << 20, size - near)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: window, alignment: 16)
        defer { buffer.deallocate() }
        let count = pread(descriptor, buffer.baseAddress, window, off_t(near))
        guard count > 0, let lf = UnsafeRawBufferPointer(rebasing: buffer[0..<count]).firstIndex(of: 0x0A) else { return nil }
        let cut = near + lf + 1
        return cut < size ? cut : nil
    }

    /// The size of the file at `path`, or nil when it cannot be asked.
    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// Reads two parts of a file at once — `first` here, `second` on another thread —, each into its own
    /// `ReadState` and empty sibling of the sink, which then (when both read their part) absorbs the first
    /// sibling, whatever `between` adds (rows read between the two parts), and the second (a Parquet
    /// file's two runs). Each part gives what its caller needs to join them (the sieve's counts), or
    /// nil on any failure; when `first` fails, `second` is told to stop. Nil when either failed or the
    /// sink makes no siblings: the caller reads the file on one thread, and the sink is untouched.
    private func inTwoParts<Sink: BillingSink, Mark>(
        into sink: inout Sink,
        first: (inout ReadState, inout Sink, StopFlag) -> Mark?,
        second: @escaping (inout ReadState, inout Sink, StopFlag) -> Mark?,
        between: (inout Sink, Mark) -> Void
    ) -> (state: ReadState, mark: Mark, laterState: ReadState, laterMark: Mark)? {
        guard var firstSink = sink.emptySibling(), let secondSink = sink.emptySibling() else { return nil }
        let stop = StopFlag()
        let handoff = Handoff(value: (read: second, sink: secondSink))
        let later = BackgroundResult(.even) { () -> Handoff<(state: ReadState, mark: Mark, sink: Sink)?> in
            var (read, sink) = handoff.value
            var state = ReadState()
            guard let mark = read(&state, &sink, stop) else { return Handoff(value: nil) }
            return Handoff(value: (state, mark, sink))
        }
        var state = ReadState()
        let mark = first(&state, &firstSink, stop)
        if mark == nil { stop.raise() }
        var done = try? later.take().value
        guard let mark, let laterState = done?.state, let laterMark = done?.mark else { return nil }
        sink.absorb(consume firstSink)
        between(&sink, laterMark)
        sink.absorb(done!.sink)
        // The last copy of the later sibling is `done`'s: freed on another thread.
        releaseInBackground(done.take())
        return (state, mark, laterState, laterMark)
    }

    /// A joined later part's state, taken out of `state` to be let go of on another thread (its caches
    /// hold every distinct cell the part read).
    static func takeLaterState(_ state: inout ReadState) -> ReadState {
        var taken = ReadState()
        swap(&taken, &state)
        return taken
    }

    /// Adds what a later part read to `state`, as if one thread had read both parts in turn; the later
    /// part's line numbers move on by `lineOffset`.
    func join(_ state: inout ReadState, _ later: ReadState, lineOffset: Int) {
        state.accounting.absorb(later.accounting, lineOffset: lineOffset)
        for coverage in later.coverage {
            let slot = coverageSlot(for: CoverageKey(payer: coverage.payer, period: coverage.billingPeriod), &state)
            state.coverage[slot].rows += coverage.rows
            state.coverage[slot].invoicedRows += coverage.invoicedRows
            if let end = coverage.lastUsageEnd, end > (state.coverage[slot].lastUsageEnd ?? Timestamp(seconds: .min)) {
                state.coverage[slot].lastUsageEnd = end
            }
        }
        state.notBedrock += later.notBedrock
        state.sievedRecords += later.sievedRecords
        state.invoiceTotals.absorb(later.invoiceTotals)
    }

    /// Reads rows while `next` moves `cells` to one; false when the sink refuses a row or `stop` is raised
    /// (the part is then of no use).
    func readRows(
        _ cells: some BillingCells, next: () throws -> Bool, _ schema: BillingSchema, _ state: inout ReadState, into sink: inout some BillingSink,
        stop: StopFlag, every128Rows: () -> Void = {}
    ) throws -> Bool {
        var rows = 0
        while try next() {
            readRow(cells, schema, &state, into: &sink)
            if state.fatal != nil { return false }
            rows &+= 1
            if rows & 127 == 0 {
                if stop.isRaised { return false }
                every128Rows()
            }
        }
        return true
    }

    /// Bytes of a large plain file over which this thread times its rows and the checksum to decide
    /// whether the other thread goes on reading the second half's rows (`splitPays`): 16 MiB, 10–40 ms,
    /// after the first `warmUpBytes`, whose rows cost more still (every buffer is new). A short sample
    /// wastes few of the other thread's rows when it stops; a longer one is less often off.
    static let sampleBytes = 16 << 20
    static let warmUpBytes = 8 << 20

    /// How much more the sample's rows cost than the file's rows on the whole: every cell cache and
    /// table is still filling. Measured on the bench's CUR 2.0 files, mostly not Bedrock (0.75–1.14 ns a
    /// byte over the 8–24 MiB of the file, 0.46–0.55 from 200 MiB on) and only Bedrock (2.2–2.5 and 1.0–1.1):
    /// about 2.
    static let warmUpFactor = 2.0

    /// Whether the other thread reading the second half's rows saves time, given what a byte costs (CPU
    /// seconds) to read as a row (`rows`, reading it included), to hash (`hash`) and to read (`read`).
    ///
    /// Split, this thread reads the first half's rows and then hashes the second half by reading it
    /// again (`rows / 2 + (hash + read) / 2` a byte of the file), while the other hashes the first half
    /// and reads the second's rows (`hash / 2 + rows / 2`, and its own cell caches to fill); not split,
    /// this thread reads every row (`rows`) while the other hashes them (`hash`). Splitting pays when
    /// rows cost more than hashing a byte read again.
    /// It is asked to pay by `splitMargin`: near the line, either way costs about the same, and a sample
    /// of a few milliseconds can be off by a fifth (cheap rows sampled at 0.86–1.06 ns a byte, halved
    /// 0.43–0.53, against 0.59–0.73 for hashing a byte read again; one bench run of eight split).
    static func splitPays(rows: Double, hash: Double, read: Double) -> Bool {
        rows.isFinite && hash.isFinite && rows > splitMargin * (hash + read)
    }

    static let splitMargin = 1.25

    /// What the other thread read of a large plain file's rows, from the cut on.
    typealias LaterPart<Sink> = (state: ReadState, sink: Sink)

    /// Reads the data rows of a large plain CSV file (`size` bytes, its header `columns`) as the top of
    /// this file says, taking its checksum as it reads.
    func readLargePlain<Sink: BillingSink>(
        _ schema: BillingSchema, columns: [String], size: Int, into sink: inout Sink
    ) throws(UnitCostError) -> BillingInput {
        // The bytes the file had when the read began: a file that grows meanwhile is read and checksummed as it was.
        let chain = try ChainDigest(path: path, display: displayPath, length: size)
        let stop = StopFlag()
        // The other thread reads the rows from the middle on (or from the cut tests chose) from the
        // start, hashing this thread's chunks between them; unless tests chose, the first rows' cost then
        // says whether it goes on (`splitPays`).
        var cut = splitsLargePlain ? Self.cut(path: path, near: cutNear ?? size / 2, size: size) : nil
        let sibling = cut == nil ? nil : sink.emptySibling()
        if sibling == nil { cut = nil }
        var other: BackgroundResult<Handoff<LaterPart<Sink>?>>? = startOther(
            chain, cut: cut, size: size, columns: columns, schema, sibling: sibling, stop: stop)
        // However the read ends, the other thread stops and is done with this thread's chunks (a chunk it
        // is hashing is finished before `stop` returns) before they are freed.
        defer {
            stop.raise()
            chain.stop()
            _ = try? other?.value()
        }
        let scanner: CSVScanner
        do {
            scanner = try CSVScanner(path: path, range: 0..<size, chain: chain)
            scanner.columnNames = columns
            _ = try scanner.nextRecord()  // the header, read already
        } catch {
            throw .input("billing " + describe(error))
        }
        scanner.sieve = rowSieve(schema)
        // What the file contributed, read into `state` (in parts or not), with the chain's digest.
        func finished(_ state: ReadState, digest: String) -> BillingInput {
            var input = finish(state, family: schema.family, digest: digest)
            input.checksumFromChunks = chain.hashedFromChunks
            return input
        }
        var state = ReadState()
        var sample = cut != nil && (cutNear == nil || sampleSays != nil) ? SplitSample(scanner, chain) : nil
        // The records the sieve passed over before the current one: the record at the cut is the later part's.
        var sievedBefore = 0
        do {
            var rows = 0
            while true {
                sievedBefore = scanner.sievedRecords
                guard try scanner.nextRecord() else { break }
                if let at = cut, scanner.recordOffset >= at {
                    cut = nil
                    if scanner.recordOffset == at, let reading = other {
                        // This thread hashes the rest of the file while the other reads its rows.
                        let digest = try chain.finish()
                        other = nil
                        if let later = try? reading.take().value {
                            state.sievedRecords = sievedBefore
                            // The later part numbered its lines from 1: its line 1 is the line of the record at the cut.
                            join(&state, later.state, lineOffset: scanner.line - 1)
                            sink.absorb(later.sink)
                            releaseInBackground(later)
                            var input = finished(state, digest: digest)
                            input.readInParts = true
                            return input
                        }
                        // The later part failed: this thread reads its rows after all (the checksum is whole).
                    } else {
                        // The cut fell inside a quoted field: the other thread's rows are of no use. It stops
                        // reading them and hashes this thread's chunks on.
                        stop.raise()
                    }
                }
                readRow(scanner, schema, &state, into: &sink)
                if let error = state.fatal { throw error }
                rows &+= 1
                if rows & 127 == 0, let pays = sample?.verdict(scanner, chain) {
                    sample = nil
                    if !(sampleSays ?? pays) {
                        // Rows cost no more than hashing: the other thread stops reading them and hashes.
                        stop.raise()
                        cut = nil
                    }
                }
            }
        } catch let error as UnitCostError {
            throw error
        } catch {
            throw .input("billing " + describe(error))
        }
        // The digest first: the scanner, whose chunks the chain may be hashing, is in use until after it.
        let digest = try chain.finish()
        state.sievedRecords = scanner.sievedRecords
        return finished(state, digest: digest)
    }

    /// What a large plain file's first rows and the hashing of its chunks cost this thread, timed over
    /// `sampleBytes` after `warmUpBytes`, and whether splitting the rows pays at that (`splitPays`).
    struct SplitSample {
        /// Where the sample began: this thread's CPU time, the bytes read, the hashing and reading time.
        private var start: (seconds: Double, bytes: Int, hash: ChainDigest.HashTime, reading: Double)?

        /// Starts timing the scanner's reads and the chain's hashing.
        init(_ scanner: CSVScanner, _ chain: ChainDigest) {
            scanner.timesReads = true
            chain.timesHashing(true)
        }

        /// Looks at how far the read is: nil while the sample is not over, else whether splitting pays
        /// (and the timing stops).
        mutating func verdict(_ scanner: CSVScanner, _ chain: ChainDigest) -> Bool? {
            let bytes = scanner.bytesRead
            guard bytes >= BillingReader.warmUpBytes else { return nil }
            guard let start else {
                start = (threadSeconds(), bytes, chain.hashTime, scanner.readSeconds)
                return nil
            }
            guard bytes >= start.bytes + BillingReader.sampleBytes else { return nil }
            // What a byte costs this thread to read as a row (less its own hashing), to hash and to read.
            let read = Double(bytes - start.bytes), spent = threadSeconds() - start.seconds
            let hash = chain.hashTime
            let hashed = hash.bytes - start.hash.bytes
            let reading = scanner.readSeconds - start.reading
            scanner.timesReads = false
            chain.timesHashing(false)
            return BillingReader.splitPays(
                rows: (spent - (hash.byFeeder - start.hash.byFeeder)) / read / BillingReader.warmUpFactor,
                hash: hashed > 0 ? (hash.seconds - start.hash.seconds) / Double(hashed) : .infinity, read: reading / read)
        }
    }

    /// Starts the other thread for `readLargePlain`: reading the rows of bytes `cut..<size` into
    /// `sibling` when both are given, hashing this thread's chunks between them and after (its part, or
    /// nil when it failed or was stopped); else only hashing them (nil).
    private func startOther<Sink: BillingSink>(
        _ chain: ChainDigest, cut: Int?, size: Int, columns: [String], _ schema: BillingSchema, sibling: Sink?, stop: StopFlag
    ) -> BackgroundResult<Handoff<LaterPart<Sink>?>> {
        let handoff = Handoff(value: (reader: self, sink: sibling))
        return BackgroundResult(.even) { () -> Handoff<LaterPart<Sink>?> in
            guard let cut, var sink = handoff.value.sink else {
                chain.serve()
                return Handoff(value: nil)
            }
            var state = ReadState()
            let read = handoff.value.reader.readPart(
                cut..<size, columns: columns, schema, &state, into: &sink, stop: stop, every128Rows: { chain.help() })
            // Read or not, it hashes this thread's chunks until this thread reaches the cut.
            chain.serve()
            return Handoff(value: read ? (state, sink) : nil)
        }
    }

    /// Reads the records of bytes `range`, which starts at a record boundary, into `state` and `sink`;
    /// false on any failure or when `stop` is raised.
    private func readPart(
        _ range: Range<Int>, columns: [String], _ schema: BillingSchema, _ state: inout ReadState, into sink: inout some BillingSink,
        stop: StopFlag, every128Rows: () -> Void
    ) -> Bool {
        do {
            let scanner = try CSVScanner(path: path, range: range)
            scanner.columnNames = columns
            scanner.sieve = rowSieve(schema)
            guard try readRows(scanner, next: scanner.nextRecord, schema, &state, into: &sink, stop: stop, every128Rows: every128Rows) else { return false }
            state.sievedRecords = scanner.sievedRecords
            return true
        } catch {
            return false
        }
    }
}

// A large Parquet file is read the same way: its rows in two runs cut at the row group start nearest the
// middle row (or at the middle row, when no row group starts near it), one run on this thread, the other
// on another, each decoding its row groups (a row group holding the cut is decoded by both, each keeping
// its own rows) and reading their rows into its own state and sibling of the sink. The host's two cores
// do not always run at one speed, so the halves rarely end together: the run that ends first takes over
// the other's last units of rows not started yet (16,384 rows of a row group each) — as many as even out
// the two runs' ends, counting the row groups each would decode (`RowUnits.takeOverStart`) — and reads
// them into a third state and sibling (`UnitClaims`). The parts
// are joined in file order: the first run's rows, what the second took over from it, the second run's
// rows, what the first took over from it. Rows keep their numbers in the file, so nothing moves on; the
// sieve's counts of the rows it passed over are added after all parts' rows, as the one-thread read adds
// them after all rows. Any failure reads the file again on one thread, which reports it.

extension BillingReader {
    /// The fewest rows a Parquet file needs to be read in two runs.
    static let parquetPartsMinimum = 1 << 16

    /// The row the second Parquet run starts at: the start of a row group nearest the middle row when
    /// one lies in the middle half of the rows, else the middle row. A row group cut between the runs is
    /// decoded by both, whole (`ParquetRowCursor.RowUnits.takeOverStart`); an uneven cut at a row group's
    /// start is evened out by the take-over at the end.
    static func parquetSplit(groupStarts: [Int]) -> Int {
        let rows = groupStarts.last ?? 0, middle = rows / 2
        let nearest = groupStarts.dropFirst().dropLast().min { abs($0 - middle) < abs($1 - middle) }
        if let nearest, abs(nearest - middle) <= rows / 4 { return nearest }
        return middle
    }

    /// A run's units of rows (`ParquetRowCursor.RowUnits`) not started yet, which either the run claims,
    /// one at a time before reading into each, or the other run takes over from the end, once it has
    /// ended: `left` is the next unit the run would start, `right` the end of its units, both in one
    /// atomic word so that a unit is claimed by exactly one of them.
    final class UnitClaims: Sendable {
        private let bounds: Atomic<Int>

        /// Units `range` are the run's to claim.
        init(_ range: Range<Int>) { bounds = Atomic(Self.pack(range.lowerBound, max(range.lowerBound, range.upperBound))) }

        private static func pack(_ left: Int, _ right: Int) -> Int { left << 32 | right }
        private static func unpack(_ word: Int) -> (left: Int, right: Int) { (word >> 32, word & 0xFFFF_FFFF) }

        /// The run claims unit `u` (the next one in order) before reading into it; false when the other
        /// run took it over.
        func claim(_ u: Int) -> Bool {
            var word = bounds.load(ordering: .acquiring)
            while true {
                let (left, right) = Self.unpack(word)
                guard u == left, left < right else { return false }
                let (exchanged, found) = bounds.compareExchange(
                    expected: word, desired: Self.pack(left + 1, right), successOrdering: .acquiringAndReleasing, failureOrdering: .acquiring)
                if exchanged { return true }
                word = found
            }
        }

        /// The other run takes over the units not claimed yet from the one `start` chooses given the
        /// next unit to claim and the end (`RowUnits.takeOverStart`): their range, or nil when none is
        /// left or `start` chose none.
        func takeOver(start: (_ left: Int, _ right: Int) -> Int) -> Range<Int>? {
            var word = bounds.load(ordering: .acquiring)
            while true {
                let (left, right) = Self.unpack(word)
                guard left < right else { return nil }
                let from = max(left, start(left, right))
                guard from < right else { return nil }
                let (exchanged, found) = bounds.compareExchange(
                    expected: word, desired: Self.pack(left, from), successOrdering: .acquiringAndReleasing, failureOrdering: .acquiring)
                if exchanged { return from..<right }
                word = found
            }
        }
    }

    /// What a Parquet run read of its own rows (the sieve's counts) and of the other run's it took over,
    /// into a state and sibling of their own.
    struct RunMark<Sink> {
        var totals: [ParquetRowCursor.BulkTotal]
        var takenOver: (state: ReadState, sink: Sink, totals: [ParquetRowCursor.BulkTotal])?
    }

    /// Reads rows `0..<split` here and `split...` on another thread, joined in file order; nil when the
    /// runs cannot be joined: read the file on one thread. `firstTakesOverFrom` and
    /// `secondTakesOverFrom` (tests) fix, before either run starts, from which of the other's units of
    /// rows a run takes over; otherwise it is decided as the runs go.
    func readParquetInParts<Sink: BillingSink>(
        _ file: ParquetFile, _ schema: BillingSchema, wanted: Set<Int>, plan: ParquetRowCursor.BulkPlan?, split: Int, rows: Int,
        into sink: inout Sink
    ) -> ReadState? {
        // Each run claims the units of rows after the one holding its first row, which is its own; the
        // first run's end with the unit holding row split - 1, the second's with the file.
        let units = ParquetRowCursor.RowUnits(groupStarts: file.rowGroupStarts, size: parquetUnitRows)
        let firstClaimable = 1..<max(1, units.unit(ofRow: split - 1) + 1)
        let secondClaimable = units.unit(ofRow: split) + 1..<max(units.unit(ofRow: split) + 1, units.count)
        func fixed(_ from: Int?, _ range: Range<Int>) -> (claims: UnitClaims, takeOver: Range<Int>?) {
            guard let from else { return (UnitClaims(range), nil) }
            let at = max(range.lowerBound, min(from, range.upperBound))
            return (UnitClaims(range.lowerBound..<at), at..<range.upperBound)
        }
        let fixedByTests = firstTakesOverFrom != nil || secondTakesOverFrom != nil
        let (firstClaims, secondTakes) = fixed(fixedByTests ? secondTakesOverFrom ?? firstClaimable.upperBound : nil, firstClaimable)
        let (secondClaims, firstTakes) = fixed(fixedByTests ? firstTakesOverFrom ?? secondClaimable.upperBound : nil, secondClaimable)
        // The units taken over are read with the taking run's cell caches (it has finished with them).
        // The first run's part comes last in the file, after every line of the first run's sibling, so
        // that sibling's memos go with it too; the second run's comes before its own lines, whose
        // display names its memos would leave unrecorded there. Nil when the part failed (the file is
        // then read on one thread); `.some(nil)` when nothing was taken over.
        func takeOver(
            _ taken: Range<Int>?, _ claims: UnitClaims, rowsEnd: Int, sink: inout Sink, cells: inout Cells, takesMemos: Bool,
            stop: StopFlag
        ) -> (state: ReadState, sink: Sink, totals: [ParquetRowCursor.BulkTotal])?? {
            guard let taken = fixedByTests ? taken : claims.takeOver(start: units.takeOverStart), !taken.isEmpty,
                var other = takesMemos ? sink.emptySiblingTakingMemos() : sink.emptySibling()
            else { return .some(nil) }
            var state = ReadState()
            swap(&state.cells, &cells)
            let rows = units.firstRow(ofUnit: taken.lowerBound)..<min(units.firstRow(ofUnit: taken.upperBound), rowsEnd)
            guard let totals = readParquetRun(file, schema, wanted: wanted, plan: plan, rows: rows, &state, into: &other, stop: stop) else { return nil }
            return .some((state, other, totals))
        }
        let parts = inTwoParts(
            into: &sink,
            first: { state, sink, stop -> RunMark<Sink>? in
                guard let totals = self.readParquetRun(file, schema, wanted: wanted, plan: plan, rows: 0..<split, &state, into: &sink, stop: stop, claims: (firstClaims, units)),
                    let taken = takeOver(firstTakes, secondClaims, rowsEnd: rows, sink: &sink, cells: &state.cells, takesMemos: true, stop: stop)
                else { return nil }
                return RunMark(totals: totals, takenOver: taken)
            },
            second: { state, sink, stop -> RunMark<Sink>? in
                guard let totals = self.readParquetRun(file, schema, wanted: wanted, plan: plan, rows: split..<rows, &state, into: &sink, stop: stop, claims: (secondClaims, units)),
                    let taken = takeOver(secondTakes, firstClaims, rowsEnd: split, sink: &sink, cells: &state.cells, takesMemos: false, stop: stop)
                else { return nil }
                return RunMark(totals: totals, takenOver: taken)
            },
            between: { sink, laterMark in
                // What the second run took over of the first's comes between them in the file.
                if let taken = laterMark.takenOver { sink.absorb(taken.sink) }
            })
        guard var parts else { return nil }
        var state = parts.state
        var totals = parts.mark.totals
        if let taken = parts.laterMark.takenOver {
            join(&state, taken.state, lineOffset: 0)
            totals += taken.totals
        }
        join(&state, parts.laterState, lineOffset: 0)
        totals += parts.laterMark.totals
        if let taken = parts.mark.takenOver {
            sink.absorb(taken.sink)
            join(&state, taken.state, lineOffset: 0)
            totals += taken.totals
        }
        for total in totals { count(total, &state) }
        releaseInBackground(Self.takeLaterState(&parts.laterState))
        return state
    }

    /// Reads rows `rows` into `state` and `sink`; what the sieve counted of the rows it passed over, or
    /// nil on any failure or when `stop` is raised. With `claims`, each unit of rows after the first is
    /// claimed before it is read into, and the run ends at the first one taken over.
    private func readParquetRun(
        _ file: ParquetFile, _ schema: BillingSchema, wanted: Set<Int>, plan: ParquetRowCursor.BulkPlan?, rows range: Range<Int>,
        _ state: inout ReadState, into sink: inout some BillingSink, stop: StopFlag, claims: (UnitClaims, ParquetRowCursor.RowUnits)? = nil
    ) -> [ParquetRowCursor.BulkTotal]? {
        do {
            // Each run decodes its row groups itself: the two runs already keep both cores busy.
            let cursor = try ParquetRowCursor(file: file, wanted: wanted, plan: plan, rows: range, prefetches: false)
            if let (claims, units) = claims { cursor.claims = ParquetRowCursor.Claims(units: units, claim: { claims.claim($0) }) }
            guard try readRows(cursor, next: cursor.nextRecord, schema, &state, into: &sink, stop: stop) else { return nil }
            return cursor.bulkTotals
        } catch {
            return nil
        }
    }
}
