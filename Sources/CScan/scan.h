// Sixteen and sixty-four bytes at a time for CSVScanner: which of them equal any of a few bytes, and the
// block scan of a plain record. SSE2 is part of every x86-64 CPU, so no run-time check is needed; other
// targets take portable loops. The record scan has a second build for CPUs with AVX-512 BW and PCLMULQDQ,
// chosen at run time (`cscan_record_level`). Header-only: the `static inline` helpers inline into the
// scanner's loop; the record scan is a call per record.
//
// Swift rebuilds a module when its Swift files change, not when this header does: touch
// Sources/UnitCost/Ingest/CSVScanner.swift after editing it.
#ifndef UNITCOST_CSCAN_H
#define UNITCOST_CSCAN_H

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bit i is set where byte i of the 16 at `p` equals `a`, `b` or `c`; 0 when none does.
static inline uint32_t cscan_match16(const void *p, uint8_t a, uint8_t b, uint8_t c) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)a)), _mm_cmpeq_epi8(v, _mm_set1_epi8((char)b))),
        _mm_cmpeq_epi8(v, _mm_set1_epi8((char)c)));
    return (uint32_t)_mm_movemask_epi8(m);
#else
    const uint8_t *s = (const uint8_t *)p;
    uint32_t m = 0;
    for (int i = 0; i < 16; i++) {
        if (s[i] == a || s[i] == b || s[i] == c) m |= 1u << i;
    }
    return m;
#endif
}

/// Which of 64 bytes are quotes, field ends (the delimiter or LF), LFs and CRs: bit i for byte i.
typedef struct {
    uint64_t quote;
    uint64_t end;
    uint64_t lf;
    uint64_t cr;
} cscan_masks64;

/// The masks of the 64 bytes at `p` (CSVScanner's block scan of a record).
static inline cscan_masks64 cscan_block64(const void *p, uint8_t delimiter) {
    cscan_masks64 m = {0, 0, 0, 0};
#if defined(__SSE2__)
    const __m128i q = _mm_set1_epi8('"'), d = _mm_set1_epi8((char)delimiter), l = _mm_set1_epi8('\n'),
                  r = _mm_set1_epi8('\r');
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)((const uint8_t *)p + 16 * k));
        __m128i lv = _mm_cmpeq_epi8(v, l);
        m.quote |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << (16 * k);
        m.end |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, d), lv)) << (16 * k);
        m.lf |= (uint64_t)(uint32_t)_mm_movemask_epi8(lv) << (16 * k);
        m.cr |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, r)) << (16 * k);
    }
#else
    const uint8_t *s = (const uint8_t *)p;
    for (int i = 0; i < 64; i++) {
        uint64_t bit = (uint64_t)1 << i;
        if (s[i] == '"') m.quote |= bit;
        if (s[i] == delimiter || s[i] == '\n') m.end |= bit;
        if (s[i] == '\n') m.lf |= bit;
        if (s[i] == '\r') m.cr |= bit;
    }
#endif
    return m;
}

/// A field of a record as CSVScanner lists it (Swift's `FieldSpan`): bytes `start..<end` of the
/// scanner's buffer. `raw`: as written, quotes included, `quoted` and `escaped` not known yet.
typedef struct {
    long start;
    long end;
    _Bool quoted;
    /// The field holds `""` pairs still to be collapsed.
    _Bool escaped;
    _Bool raw;
} cscan_span;

/// A sieve for `cscan_plain_record`: once field `column` is listed, a record whose field there is
/// neither quoted nor starts with the `length` bytes at `prefix` has only its first `keep` fields
/// listed (at least `column + 1`); the rest are counted, not listed. A reader whose rows are mostly of
/// no interest (nine billing rows in ten are not Bedrock) then lists only the fields it reads of them:
/// listing is most of the scan's time (a bit scan and a span a field; finding the record's end alone
/// runs about four times as fast).
typedef struct {
    long column;
    const uint8_t *prefix;
    long length;
    long keep;
} cscan_sieve;

/// What `cscan_plain_record` returns besides the offset of the record's LF.
enum {
    /// Not a plain record (or not whole in the 64-byte blocks before `n`): the byte machine scans it.
    CSCAN_NOT_PLAIN = -1,
    /// The span list is full: grow it and scan the record again.
    CSCAN_LIST_FULL = -2,
};

/// The prefix XOR of a quote mask (bit i: the XOR of bits 0...i), by shifts.
static inline __attribute__((always_inline)) uint64_t cscan_prefix_xor_shifts(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/// CSVScanner's block scan of one plain record (`scanPlainRecord` explains it), on masks from `BLOCK`
/// and prefix XORs from `PREFIX`: the two builds below differ only in those.
static inline __attribute__((always_inline)) long cscan_plain_record_with(
    cscan_masks64 (*block)(const void *, uint8_t), uint64_t (*prefix)(uint64_t), const uint8_t *p, long start, long n,
    uint8_t delimiter, cscan_span *spans, long capacity, long *count, const cscan_sieve *sieve, long *listedOut) {
    if (start + 64 > n || p[start] == '\n' || p[start] == '\r') return CSCAN_NOT_PLAIN;
    // `keep`: how many fields are listed; past the capacity (the list fills first) until a sieve says.
    long base = start, fieldStart = start, listed = 0, counted = 0, keep = capacity + 1;
    // What the block before left: all ones when it ended inside quotes; bit 0 set when its last byte
    // ended a field (the record's start counts as one) or closed a quote.
    uint64_t inside = 0, endBefore = 1, closeBefore = 0;
    while (base + 64 <= n) {
        cscan_masks64 m = block(p + base, delimiter);
        uint64_t within = prefix(m.quote) ^ inside;
        uint64_t ends = m.end & ~within;
        // Up to the record's LF; the bits above it are later records'.
        uint64_t lineFeeds = m.lf & ~within;
        uint64_t through = lineFeeds == 0 ? ~(uint64_t)0 : lineFeeds ^ (lineFeeds - 1);
        uint64_t opens = m.quote & within, closes = m.quote & ~within;
        uint64_t afterEnd = ends << 1 | endBefore, afterClose = closes << 1 | closeBefore;
        uint64_t misplaced = (opens & ~(afterEnd | afterClose)) | (afterClose & ~(m.quote | ends));
        if (((misplaced | (m.lf & within) | m.cr) & through) != 0) return CSCAN_NOT_PLAIN;
        uint64_t fieldEnds = ends & through;
        while (fieldEnds != 0) {
            if (listed >= keep) {
                // Sieved out: the fields left are counted; the next starts after the last one's end.
                counted += __builtin_popcountll(fieldEnds);
                fieldStart = base + 64 - __builtin_clzll(fieldEnds);
                break;
            }
            if (listed == capacity) return CSCAN_LIST_FULL;
            long end = base + __builtin_ctzll(fieldEnds);
            spans[listed] = (cscan_span){fieldStart, end, 0, 0, 1};
            listed++;
            if (sieve && listed == sieve->column + 1) {
                long length = end - fieldStart;
                if (length == 0 ||
                    (p[fieldStart] != '"' && (length < sieve->length || memcmp(p + fieldStart, sieve->prefix, (size_t)sieve->length) != 0)))
                    keep = sieve->keep;
            }
            fieldStart = end + 1;
            fieldEnds &= fieldEnds - 1;
        }
        if (lineFeeds != 0) {
            // The record's LF ended its last field.
            *count = listed + counted;
            if (listedOut) *listedOut = listed;
            return fieldStart - 1;
        }
        inside = (uint64_t)((int64_t)within >> 63);
        endBefore = ends >> 63;
        closeBefore = closes >> 63;
        base += 64;
    }
    return CSCAN_NOT_PLAIN;
}

/// The plain record scan with SSE2 masks and shifts: any x86-64 CPU, or the portable loops elsewhere.
static long cscan_plain_record_base(
    const uint8_t *p, long start, long n, uint8_t delimiter, cscan_span *spans, long capacity, long *count, const cscan_sieve *sieve,
    long *listed) {
    return cscan_plain_record_with(cscan_block64, cscan_prefix_xor_shifts, p, start, n, delimiter, spans, capacity, count, sieve, listed);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>

#define CSCAN_AVX512 __attribute__((target("avx512f,avx512bw,pclmul")))

/// The masks of 64 bytes by four AVX-512 compares.
static inline CSCAN_AVX512 __attribute__((always_inline)) cscan_masks64 cscan_block64_avx512(const void *p, uint8_t delimiter) {
    __m512i v = _mm512_loadu_si512(p);
    cscan_masks64 m;
    m.quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
    m.lf = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
    m.end = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8((char)delimiter)) | m.lf;
    m.cr = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r'));
    return m;
}

/// The prefix XOR by one carry-less multiply with all ones.
static inline CSCAN_AVX512 __attribute__((always_inline)) uint64_t cscan_prefix_xor_clmul(uint64_t x) {
    return (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)x), _mm_set1_epi8((char)0xFF), 0));
}

/// The plain record scan with AVX-512 masks and a carry-less multiply.
static CSCAN_AVX512 long cscan_plain_record_avx512(
    const uint8_t *p, long start, long n, uint8_t delimiter, cscan_span *spans, long capacity, long *count, const cscan_sieve *sieve,
    long *listed) {
    return cscan_plain_record_with(
        cscan_block64_avx512, cscan_prefix_xor_clmul, p, start, n, delimiter, spans, capacity, count, sieve, listed);
}

#define CSCAN_VBMI2 __attribute__((target("avx512f,avx512bw,avx512vbmi2,pclmul,popcnt")))

/// Collapses the `""` pairs of the `count` bytes at `p` (a quoted field's content, where every quote is
/// the first of a pair) into single quotes, in place, 64 bytes at a time: a pair's second quote is one
/// where the quotes so far (prefix XOR) are even; the rest are compressed together. Returns the new count.
static CSCAN_VBMI2 long cscan_collapse_pairs_vbmi2(uint8_t *p, long count) {
    long read = 0, write = 0;
    uint64_t carry = 0;  // all ones when the bytes before hold an odd number of quotes
    const __m512i quote = _mm512_set1_epi8('"');
    while (read < count) {
        long left = count - read;
        uint64_t live = left >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << left) - 1);
        __m512i v = _mm512_maskz_loadu_epi8(live, p + read);
        uint64_t q = _mm512_mask_cmpeq_epi8_mask(live, v, quote);
        uint64_t odd = cscan_prefix_xor_clmul(q) ^ carry;
        uint64_t keep = live & ~(q & ~odd);
        // Compressed in a register, then stored: a compress straight to memory is slow on some CPUs.
        __m512i kept = _mm512_maskz_compress_epi8(keep, v);
        long n = __builtin_popcountll(keep);
        _mm512_mask_storeu_epi8(p + write, n == 64 ? ~(uint64_t)0 : (((uint64_t)1 << n) - 1), kept);
        write += n;
        carry = (uint64_t)((int64_t)odd >> 63);
        read += 64;
    }
    return write;
}

/// 1 when this CPU and the system run AVX-512 BW and PCLMULQDQ (the system saves the vector state).
static inline int cscan_has_avx512(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & bit_OSXSAVE) || !(c & bit_PCLMUL)) return 0;
    unsigned lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    // SSE, AVX and the three AVX-512 state components (opmask, upper halves, upper registers).
    if ((lo & 0xE6) != 0xE6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_AVX512F) && (b & bit_AVX512BW);
}

/// 1 when `cscan_has_avx512` and the CPU has AVX-512 VBMI2 (byte compress).
static inline int cscan_has_vbmi2(void) {
    unsigned a, b, c, d;
    if (!cscan_has_avx512() || !__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (c & bit_AVX512VBMI2) != 0;
}
#else
static inline int cscan_has_avx512(void) { return 0; }
static inline int cscan_has_vbmi2(void) { return 0; }
#endif

/// Which build of `cscan_collapse_pairs` this CPU runs: 1 for AVX-512 VBMI2, 0 for none (the caller's
/// own loop).
static inline int cscan_collapse_level(void) { return cscan_has_vbmi2(); }

/// `cscan_collapse_pairs_vbmi2` where `level` is 1; -1 otherwise (the caller collapses).
static inline long cscan_collapse_pairs(int level, uint8_t *p, long count) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (level == 1) return cscan_collapse_pairs_vbmi2(p, count);
#endif
    return -1;
}

/// Which build of the plain record scan this CPU runs: 1 for AVX-512, 0 for the base.
static inline int cscan_record_level(void) { return cscan_has_avx512(); }

/// Scans the plain record at `start` of the `n` bytes at `p` (`level` from `cscan_record_level`, or 0),
/// listing its fields as written in `spans` (of `capacity`), or returns `CSCAN_NOT_PLAIN` or
/// `CSCAN_LIST_FULL`. When it returns the offset of the record's LF, `*count` is its number of fields and
/// `*listed` (when not null) how many of them are in `spans`: all, unless `sieve` (may be null) left
/// the rest out.
static inline long cscan_plain_record(
    int level, const uint8_t *p, long start, long n, uint8_t delimiter, cscan_span *spans, long capacity, long *count,
    const cscan_sieve *sieve, long *listed) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (level == 1) return cscan_plain_record_avx512(p, start, n, delimiter, spans, capacity, count, sieve, listed);
#endif
    return cscan_plain_record_base(p, start, n, delimiter, spans, capacity, count, sieve, listed);
}

/// Bit i is set where byte i of the 16 at `p` equals `v` (Parquet levels kept as bytes).
static inline uint32_t cscan_equal16(const void *p, uint8_t v) {
#if defined(__SSE2__)
    __m128i x = _mm_loadu_si128((const __m128i *)p);
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)v)));
#else
    const uint8_t *s = (const uint8_t *)p;
    uint32_t m = 0;
    for (int i = 0; i < 16; i++) {
        if (s[i] == v) m |= 1u << i;
    }
    return m;
#endif
}

#endif
