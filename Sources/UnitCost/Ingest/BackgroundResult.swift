import Dispatch

/// Work started on another thread now, its result (or error) taken later: a Parquet file's next row
/// group decoding while the current one is read, its checksum while its rows are read.
///
/// ```swift
/// let digest = BackgroundResult { () throws(UnitCostError) in try FileDigest.sha256(path: path, display: name) }
/// // … read the file …
/// let sha256 = try digest.value()
/// ```
final class BackgroundResult<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once on the worker before `done` is signalled, read only after waiting for it.
    private var result: Result<Value, UnitCostError>?

    /// Starts `work`, by default at a higher priority than the calling thread (libdispatch's
    /// user-initiated class: nice −2 on Linux); `evenly` runs it at the caller's, sharing the cores with it
    /// evenly (work split between the two).
    init(evenly: Bool = false, _ work: @escaping @Sendable () throws(UnitCostError) -> Value) {
        DispatchQueue.global(qos: evenly ? .default : .userInitiated).async { [self] in
            result = Result { () throws(UnitCostError) in try work() }
            done.signal()
        }
    }

    /// Waits for the work and returns its value or throws its error; may be called more than once.
    func value() throws(UnitCostError) -> Value {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
