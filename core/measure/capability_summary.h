// One line saying what a backend really ran on, from its capability record:
// "4 threads, avx512", "TF.js 4.22.0 wasm: SIMD on, threads on (1 thread)",
// "TF.js 4.22.0 webgl: WebGL 2, llvmpipe (LLVM 15.0.6, 256 bits)",
// "brain.js 1.6.1". Tables, the GUI's backend list and reports use it.
#pragma once
#include <string>

#include "core/ops/ops_backend.h"

namespace gapscope {

std::string capability_summary(const std::string& backend, const Capabilities& capabilities);

}  // namespace gapscope
