// What the OS says about this process and machine: peak RSS, CPU time, CPU model.
#pragma once
#include <cstdint>
#include <string>

namespace gapscope {

int64_t peak_rss_bytes();      // VmHWM
int64_t current_rss_bytes();   // VmRSS
// Another process's VmHWM (e.g. a browser renderer); -1 if it cannot be read.
int64_t peak_rss_bytes_of(int64_t pid);
// Another process's user + system CPU seconds from /proc/<pid>/stat; -1 if unreadable.
double process_cpu_seconds_of(int64_t pid);
double process_cpu_seconds();  // user + system, all threads
std::string cpu_model_name();
int hardware_threads();
int64_t total_memory_bytes();         // MemTotal; -1 if unreadable
std::string operating_system_name();  // PRETTY_NAME of /etc/os-release
std::string compiler_description();

}  // namespace gapscope
