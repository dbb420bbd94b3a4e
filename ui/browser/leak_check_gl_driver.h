// Under AddressSanitizer only (scripts/test-sanitized.sh): keeps Mesa's
// software GL driver mapped until exit so LeakSanitizer can name its leaks.
#pragma once

namespace gapscope::browser {

// QtWebEngine runs Chromium's GPU thread in this process; it loads Mesa's GL
// driver (swrast_dri.so, llvmpipe under Xvfb) and dlcloses it at exit, after
// which the driver's own never-freed 112 bytes are reported from an
// "<unknown module>" that no suppression can match. Loading the driver first
// with RTLD_NODELETE keeps its name, and tests/sanitizers/lsan.supp names it.
// Does nothing in a build without ASan, or where the driver is not installed.
void keep_gl_driver_mapped_for_leak_checks();

}  // namespace gapscope::browser
