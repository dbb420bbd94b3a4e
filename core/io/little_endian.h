// Little-endian integers and float32 arrays, as every gapscope and TF.js weight
// file stores them, whatever the host byte order.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>

namespace gapscope {

inline void store_u32_le(char* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

inline void store_u64_le(char* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

inline uint32_t load_u32_le(const char* in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return v;
}

inline uint64_t load_u64_le(const char* in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return v;
}

inline void store_floats_le(char* out, const float* values, size_t count) {
  if constexpr (std::endian::native == std::endian::little) {
    if (count) std::memcpy(out, values, count * sizeof(float));
  } else {
    for (size_t i = 0; i < count; ++i) store_u32_le(out + 4 * i, std::bit_cast<uint32_t>(values[i]));
  }
}

inline void load_floats_le(float* values, const char* in, size_t count) {
  if constexpr (std::endian::native == std::endian::little) {
    if (count) std::memcpy(values, in, count * sizeof(float));
  } else {
    for (size_t i = 0; i < count; ++i) values[i] = std::bit_cast<float>(load_u32_le(in + 4 * i));
  }
}

}  // namespace gapscope
