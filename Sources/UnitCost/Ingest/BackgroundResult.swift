import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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
        /// Only on a core nothing else wants: nice 19 on Linux, one such item at a time. For work much
        /// smaller than the caller's, wanted after it: a Parquet file's checksum, which at nice 10 still
        /// took a tenth of a core from one of the two readers and left the other waiting at the end; at
        /// nice 19 it runs while that one finishes and while the caller sums up.
        case idle
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
        case .idle: IdleWorker.shared.submit { [self] in run() }
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

    /// Waits for the work and hands its value over: this keeps no copy (`value()` may not be called after).
    func take() throws(UnitCostError) -> Value {
        done.wait()
        defer { result = nil }
        return try result!.get()
    }
}

/// Lets go of a value on another thread. Freeing what a reader or a ledger built — tens of thousands of
/// keys, strings and tag maps — takes about as long as summing it up, and by the time a value is let go
/// of the other core is idle. Pass the last copy (`consume`); the value is freed on the other thread.
func releaseInBackground<Value>(_ value: consuming Value) {
    let leftover = Leftover(value)
    DispatchQueue.global(qos: .utility).async { leftover.value = nil }
}

/// A value on its way to another thread, which sets it to nil there.
private final class Leftover<Value>: @unchecked Sendable {
    var value: Value?
    init(_ value: consuming Value) { self.value = value }
}

/// The one thread `.idle` work runs on, in turn, at the lowest priority (nice 19 on Linux). A thread
/// of its own: libdispatch's threads are shared with other work, and a thread's nice value, once
/// raised, cannot be lowered again without privileges.
private final class IdleWorker: Sendable {
    static let shared = IdleWorker()
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let ready = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in
            #if canImport(Glibc)
                // On Linux the nice value is a thread's own: 0 names the calling thread.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            #endif
            while true {
                ready.wait()
                let job = jobs.withLock { $0.removeFirst() }
                job()
            }
        }
        thread.start()
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
        ready.signal()
    }
}
