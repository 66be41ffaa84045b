// glibc allocator settings for the Parquet reader (Sources/UnitCost/Ingest/Parquet/AllocatorTuning.swift):
// <malloc.h> is not part of Swift's Glibc module. Elsewhere the function does nothing.
#ifndef UNITCOST_CALLOC_H
#define UNITCOST_CALLOC_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

/// Keeps freed blocks below `mmap_threshold` bytes out of mmap and each heap's free top below
/// `trim_threshold` bytes, for reuse; returns 1 when both settings were taken.
static inline int calloc_keep_freed(int mmap_threshold, int trim_threshold) {
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    return mallopt(M_MMAP_THRESHOLD, mmap_threshold) == 1 && mallopt(M_TRIM_THRESHOLD, trim_threshold) == 1;
#else
    (void)mmap_threshold;
    (void)trim_threshold;
    return 0;
#endif
}

#endif
