// Element-wise activation kernels over a contiguous run of floats, shared by
// the activation ops (cpu_backend_elementwise.cpp) and the recurrent cells'
// gates (cpu_backend_recurrent.cpp). Internal to the CPU backend.
#pragma once
#include <cstdint>

#include "core/base/activation.h"

namespace gapscope {

// y[n] = f(x[n]) for every activation but softmax (std::logic_error).
void forward_range(Activation act, const float* x, float* y, int64_t n);
// d[n] = f'(x) from x and y = f(x), TF.js's conventions at kinks
// (activation_derivative).
void derivative_block(Activation act, const float* x, const float* y, float* d, int64_t n);

}  // namespace gapscope
