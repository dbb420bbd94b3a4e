// Whether this build runs under AddressSanitizer (GCC's and clang's own
// signals), for code that must behave differently there: keep allocations on
// the heap where its red zones check them, keep drivers mapped for the leak
// check's stack traces.
#pragma once

namespace gapscope {

#if defined(__SANITIZE_ADDRESS__)  // GCC
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)       // clang
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace gapscope
