import Dispatch

/// Work started on another thread now, its result (or error) taken later: a Parquet file's next row
/// group decoding while the current one is read, a file's checksum while its rows are read.
///
/// ```swift
/// let digest = BackgroundResult { () throws(UnitCostError) in try FileDigest.sha256(path: path, display: name) }
/// // … read the file …
/// let sha256 = try digest.value()
/// ```
final class BackgroundResult<Value>: @unchecked Sendable {
    /// How the work shares the cores with the thread that started it.
    enum Priority {
        /// Ahead of it: libdispatch's user-initiated class, nice −2 on Linux (work the caller will wait for next).
        case above
        /// Evenly with it (work split between the two).
        case even
        /// Behind it, at nice 10, one such item at a time: work whose result is wanted only after the
        /// caller's own (a checksum that may finish while the caller sums up).
        case below
    }

    private let done = DispatchSemaphore(value: 0)
    // Written once on the worker before `done` is signalled, read only after waiting for it.
    private var result: Result<Value, UnitCostError>?
    private var work: (@Sendable () throws(UnitCostError) -> Value)?

    init(_ priority: Priority = .above, _ work: @escaping @Sendable () throws(UnitCostError) -> Value) {
        self.work = work
        switch priority {
        case .above: DispatchQueue.global(qos: .userInitiated).async { [self] in run() }
        case .even: DispatchQueue.global(qos: .default).async { [self] in run() }
        case .below: behindQueue.async { [self] in run() }
        }
    }

    private func run() {
        result = Result { () throws(UnitCostError) in try work!() }
        work = nil
        done.signal()
    }

    /// Waits for the work and returns its value or throws its error; may be called more than once.
    func value() throws(UnitCostError) -> Value {
        done.wait()
        done.signal()
        return try result!.get()
    }
}

/// Where `.below` work runs: one item at a time (so checksums of many files never hold a buffer each at
/// once), at libdispatch's background class, nice 10 on Linux.
private let behindQueue = DispatchQueue(label: "unitcost.behind", qos: .background)
