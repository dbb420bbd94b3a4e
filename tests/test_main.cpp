#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstdlib>

int main(int argc, char* argv[]) {
  // lavapipe (the Vulkan device in CI) runs kernels on the calling thread:
  // 1.3 us per dispatch instead of 13-21 us through its worker threads, and
  // no extra threads competing with the CPU backend's (see NOTES.md).
  setenv("LP_NUM_THREADS", "0", 0);
  return Catch::Session().run(argc, argv);
}
