// Sixteen bytes at a time for CSVScanner: which of them equal any of three bytes. SSE2 is part of every
// x86-64 CPU, so no run-time check is needed; other targets take a portable loop. Header-only and
// `static inline`, so Swift inlines it into the scanner's loop.
#ifndef UNITCOST_CSCAN_H
#define UNITCOST_CSCAN_H

#include <stdint.h>
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
