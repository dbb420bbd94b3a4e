// What the OS says about this process and machine: peak RSS, CPU time, CPU model.
#pragma once
#include <cstdint>
#include <string>

namespace gapscope {

int64_t peak_rss_bytes();      // VmHWM
int64_t current_rss_bytes();   // VmRSS
double process_cpu_seconds();  // user + system, all threads
std::string cpu_model_name();
int hardware_threads();
std::string compiler_description();

}  // namespace gapscope
