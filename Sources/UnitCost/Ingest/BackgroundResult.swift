import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
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
        /// Behind it, on a thread of its own at nice 10: work whose result is wanted only after the
        /// caller's own (a checksum that may finish while the caller sums up).
        case below
    }

    private let done = DispatchSemaphore(value: 0)
    // Written once on the worker before `done` is signalled, read only after waiting for it.
    private var result: Result<Value, UnitCostError>?
    private var work: (@Sendable () throws(UnitCostError) -> Value)?

    init(_ priority: Priority = .above, _ work: @escaping @Sendable () throws(UnitCostError) -> Value) {
        self.work = work
        if priority == .below && startThreadBehind() { return }
        DispatchQueue.global(qos: priority == .above ? .userInitiated : .default).async { [self] in run() }
    }

    /// Runs the work on a new detached thread at nice 10; false when no thread could be started.
    private func startThreadBehind() -> Bool {
        BehindThread.start { [self] in run() }
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

/// A detached thread at nice 10 (`BackgroundResult.Priority.below`); not generic, as the C entry point
/// a thread starts at cannot be.
private final class BehindThread {
    private let body: () -> Void

    private init(_ body: @escaping () -> Void) { self.body = body }

    /// Starts `body` on a new thread; false when none could be started.
    static func start(_ body: @escaping () -> Void) -> Bool {
        let context = Unmanaged.passRetained(BehindThread(body)).toOpaque()
        #if canImport(Glibc)
            var handle = pthread_t()
        #else
            var handle: pthread_t?
        #endif
        let status = pthread_create(
            &handle, nil,
            { context in
                let thread = Unmanaged<BehindThread>.fromOpaque(context!).takeRetainedValue()
                // On Linux the nice value belongs to the thread: this one alone runs behind the others.
                #if canImport(Glibc)
                    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
                #else
                    _ = setpriority(PRIO_PROCESS, 0, 10)
                #endif
                thread.body()
                return nil
            }, context)
        guard status == 0 else {
            Unmanaged<BehindThread>.fromOpaque(context).release()
            return false
        }
        #if canImport(Glibc)
            pthread_detach(handle)
        #else
            if let handle { pthread_detach(handle) }
        #endif
        return true
    }
}
