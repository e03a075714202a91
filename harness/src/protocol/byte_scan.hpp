// Internal: the byte scans and comparisons of the parser's hot path. Lines are mostly short runs of
// text between CR/LF separators (V.250 §5.7.1), so the scans look at 16 bytes at a time where SSE2
// exists (every x86-64) and fall back to plain loops elsewhere. Nothing here reads outside the
// range it is given.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// For the few functions of the hot path that run once per line from a single caller: a call
// costs more than what most lines need there. GCC and Clang inline what they are told to;
// other compilers decide for themselves.
#if defined(__GNUC__)
#define BCCONFORM_HOT_INLINE [[gnu::always_inline]] inline
#else
#define BCCONFORM_HOT_INLINE inline
#endif

namespace bcconform::protocol::detail {

inline bool is_eol(char c) noexcept {
  return c == '\r' || c == '\n';
}

/// 16 bytes loaded at once; bit i of a mask stands for byte i.
class block16 {
 public:
  static constexpr std::size_t size = 16;
  static constexpr unsigned all = 0xffffu;

  /// Reads p[0, 16): the caller guarantees they are readable.
  explicit block16(const char* p) noexcept {
#if defined(__SSE2__)
    v_ = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
#else
    std::memcpy(b_, p, size);
#endif
  }

  unsigned mask_of(char c) const noexcept {
#if defined(__SSE2__)
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v_, _mm_set1_epi8(c))));
#else
    unsigned m = 0;
    for (std::size_t i = 0; i < size; ++i) m |= static_cast<unsigned>(b_[i] == c) << i;
    return m;
#endif
  }

  /// CR or LF.
  unsigned eol_mask() const noexcept {
#if defined(__SSE2__)
    const __m128i cr = _mm_cmpeq_epi8(v_, _mm_set1_epi8('\r'));
    const __m128i lf = _mm_cmpeq_epi8(v_, _mm_set1_epi8('\n'));
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(cr, lf)));
#else
    return mask_of('\r') | mask_of('\n');
#endif
  }

 private:
#if defined(__SSE2__)
  __m128i v_;
#else
  char b_[size];
#endif
};

/// `v`, hidden from the optimizer: what depends on it stays arithmetic instead of being split
/// into two code paths behind a branch on it. For choices that are as random as the input
/// (which of two readings a line takes): a mispredicted branch costs more than both paths.
template <typename T>
inline T opaque(T v) noexcept {
#if defined(__GNUC__)
  asm("" : "+r"(v));
#endif
  return v;
}

/// a[0, n) == b[0, n) for the short strings of the hot path: a few word compares instead of a
/// call to memcmp. Reads nothing outside the two ranges.
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  const auto word8 = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  const auto word4 = [](const char* p) {
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (word8(a + i) != word8(b + i)) return false;
    }
    return word8(a + n - 8) == word8(b + n - 8);  // the last 8, overlapping the loop's
  }
  if (n >= 4) return word4(a) == word4(b) && word4(a + n - 4) == word4(b + n - 4);
  if (n == 0) return true;
  // 1 to 3 bytes: the first, middle and last byte cover them all, without a loop.
  return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
}

inline bool same_text(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size());
}

inline bool starts_with(std::string_view s, std::string_view head) noexcept {
  return s.size() >= head.size() && same_bytes(s.data(), head.data(), head.size());
}

inline bool ends_with(std::string_view s, std::string_view tail) noexcept {
  return s.size() >= tail.size() &&
         same_bytes(s.data() + s.size() - tail.size(), tail.data(), tail.size());
}

/// Index of the lowest set bit; `m` is not 0.
inline unsigned lowest_bit(unsigned m) noexcept {
  return static_cast<unsigned>(std::countr_zero(m));
}

inline unsigned lowest_bit64(std::uint64_t m) noexcept {
  return static_cast<unsigned>(std::countr_zero(m));
}

inline std::uint64_t eol_mask32(const char* p) noexcept {
  return block16(p).eol_mask() | std::uint64_t{block16(p + block16::size).eol_mask()} << 16;
}

/// 64 bytes loaded at once; bit i of a mask stands for byte i. The caller guarantees 64
/// readable bytes.
class block64 {
 public:
  static constexpr std::size_t size = 4 * block16::size;

  explicit block64(const char* p) noexcept
      : b_{block16(p), block16(p + 16), block16(p + 32), block16(p + 48)} {}

  /// CR or LF.
  std::uint64_t eol_mask() const noexcept {
    return join(b_[0].eol_mask(), b_[1].eol_mask(), b_[2].eol_mask(), b_[3].eol_mask());
  }

  std::uint64_t mask_of(char c) const noexcept {
    return join(b_[0].mask_of(c), b_[1].mask_of(c), b_[2].mask_of(c), b_[3].mask_of(c));
  }

 private:
  static std::uint64_t join(std::uint64_t m0, std::uint64_t m1, std::uint64_t m2,
                            std::uint64_t m3) noexcept {
    return m0 | m1 << 16 | m2 << 32 | m3 << 48;
  }

  block16 b_[4];
};

/// Index of the first `c` in p[0, n), or n. `readable` (>= n) bytes from p may be read: while
/// 16 or more remain, 16 bytes are looked at in one go.
inline std::size_t find_byte(const char* p, std::size_t n, std::size_t readable, char c) noexcept {
  std::size_t i = 0;
  for (; i < n && readable - i >= block16::size; i += block16::size) {
    const unsigned m = block16(p + i).mask_of(c);
    if (m != 0) {
      const std::size_t at = i + lowest_bit(m);
      return at < n ? at : n;
    }
  }
  while (i < n && p[i] != c) ++i;
  return i < n ? i : n;  // a last block may have gone past n
}

/// Whether `c` occurs in p[0, n); `readable` (>= n) bytes from p may be read. Up to 32 bytes
/// are looked at without a branch on where `c` is (parameters are short and their lengths
/// random); longer or less readable text goes through find_byte().
inline bool contains(const char* p, std::size_t n, std::size_t readable, char c) noexcept {
  if (n <= 2 * block16::size && readable >= 2 * block16::size) {
    const std::uint64_t m =
        block16(p).mask_of(c) | std::uint64_t{block16(p + block16::size).mask_of(c)} << 16;
    return (m & ((std::uint64_t{1} << n) - 1)) != 0;
  }
  return find_byte(p, n, readable, c) < n;
}

/// First CR or LF in [p, end), or end.
inline const char* find_eol(const char* p, const char* end) noexcept {
  while (end - p >= static_cast<std::ptrdiff_t>(block16::size)) {
    const unsigned m = block16(p).eol_mask();
    if (m != 0) return p + lowest_bit(m);
    p += block16::size;
  }
  while (p < end && !is_eol(*p)) ++p;
  return p;
}

/// First CR, LF or `c` in [p, end), or end.
inline const char* find_eol_or(const char* p, const char* end, char c) noexcept {
  while (end - p >= static_cast<std::ptrdiff_t>(block16::size)) {
    const block16 b(p);
    const unsigned m = b.eol_mask() | b.mask_of(c);
    if (m != 0) return p + lowest_bit(m);
    p += block16::size;
  }
  while (p < end && !is_eol(*p) && *p != c) ++p;
  return p;
}

/// First byte in [p, end) that is not CR or LF, or end.
inline const char* skip_eols(const char* p, const char* end) noexcept {
  while (end - p >= static_cast<std::ptrdiff_t>(block16::size)) {
    const unsigned m = block16(p).eol_mask();
    if (m != block16::all) return p + lowest_bit(~m);
    p += block16::size;
  }
  while (p < end && is_eol(*p)) ++p;
  return p;
}

}  // namespace bcconform::protocol::detail
