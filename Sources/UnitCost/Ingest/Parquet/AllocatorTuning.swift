import CAlloc

/// glibc's allocator, told to keep freed memory for reuse while Parquet row groups are decoded.
///
/// Each row group decodes into fresh buffers of a few megabytes (pages, levels, values, cells), freed
/// when the next one arrives. By default glibc hands buffers that large straight back to the kernel
/// (`mmap` / `munmap`, and trimming each thread's heap), so the next row group's buffers fault in
/// zeroed pages again: a fifth of the Parquet reader's time went to the kernel. With the mmap
/// threshold at 32 MiB and the trim threshold at 128 MiB the same memory is reused instead
/// (docs/PERFORMANCE.md: system time 0.41 → 0.11 s on the 1M-row bench file, peak +10 MiB). The
/// settings are process-wide and made once, the first time a Parquet file is read; without glibc
/// (Darwin) nothing changes.
enum AllocatorTuning {
    /// Evaluated once: the settings above.
    static let keepsFreedMemory: Void = { _ = calloc_keep_freed(32 << 20, 128 << 20) }()
}
