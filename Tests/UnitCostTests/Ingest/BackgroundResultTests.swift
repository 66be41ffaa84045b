import Synchronization
import Testing

@testable import UnitCost

#if canImport(Glibc)
    import Glibc
#endif

/// Work handed to another thread: `.idle` work (a Parquet file's checksum) runs one item at a time on a
/// thread of the lowest priority, and its value or error comes back as from any other.
@Suite struct BackgroundResultTests {
    @Test func idleWorkGivesItsValueAndItsError() throws {
        let value = BackgroundResult(.idle) { () throws(UnitCostError) -> Int in 6 * 7 }
        let failing = BackgroundResult(.idle) { () throws(UnitCostError) -> Int in throw .input("billing x.parquet: unreadable") }
        #expect(try value.value() == 42)
        #expect(throws: UnitCostError.self) { try failing.value() }
    }

    @Test func idleWorkRunsOneItemAtATimeAtTheLowestPriority() throws {
        let running = Atomic<Int>(0), most = Atomic<Int>(0)
        let items = (0..<6).map { _ in
            BackgroundResult(.idle) { () throws(UnitCostError) -> Int32 in
                let now = running.wrappingAdd(1, ordering: .relaxed).newValue
                _ = most.max(now, ordering: .relaxed)
                usleep(2_000)
                running.wrappingSubtract(1, ordering: .relaxed)
                #if canImport(Glibc)
                    return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                #else
                    return 19
                #endif
            }
        }
        for item in items { #expect(try item.value() == 19) }
        #expect(most.load(ordering: .relaxed) == 1)
    }
}
