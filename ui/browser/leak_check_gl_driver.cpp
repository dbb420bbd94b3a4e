#include "ui/browser/leak_check_gl_driver.h"

#include <dlfcn.h>

#include <initializer_list>

#include "core/base/sanitizers.h"

namespace gapscope::browser {

void keep_gl_driver_mapped_for_leak_checks() {
  if constexpr (!kAddressSanitizer) return;
  // Mesa's DRI drivers are one file under several names; Xvfb's GLX uses swrast.
  for (const char* path : {"/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so", "/usr/lib/dri/swrast_dri.so"})
    if (dlopen(path, RTLD_NOW | RTLD_NODELETE)) return;
}

}  // namespace gapscope::browser
