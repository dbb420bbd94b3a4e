// The FP32 peak this machine reaches with the SIMD level sgemm() runs, so that
// benchmarks can print "% of measured peak" honestly on any machine (a VM's
// nominal clock says little about the clock that runs, nor about AVX-512
// frequency drops).
#pragma once

namespace gapscope {

class ThreadPool;

// GFLOP/s of a register-resident FMA loop (no memory traffic) on `threads`
// threads at once, with the vectors of sgemm_simd_level(): the median of a few
// short runs, about 50 ms in all. threads is capped at pool->threads() (1
// without a pool).
double measure_peak_gflops(int threads, ThreadPool* pool);

}  // namespace gapscope
