// A fuzzed file opened as a run history (core/store/results_store.h): open it
// (which may migrate it), list the runs, load each. Every failure must be a
// StoreError; anything else is a finding.
#include <cstdint>
#include <string>

#include "core/store/results_store.h"
#include "tests/fuzz/fuzz_support.h"

using namespace gapscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (const char* side : {"results.sqlite-journal", "results.sqlite-wal", "results.sqlite-shm"})
    fuzz::remove_scratch_file(side);
  const std::string path = fuzz::write_scratch_file("results.sqlite", fuzz::as_text(data, size));
  try {
    ResultsStore store = ResultsStore::open(path);
    for (const RunSummary& run : store.list_runs()) {
      StoredRun loaded = store.load_run(run.id);
      (void)loaded;
      store.done_configurations(run.id);
    }
  } catch (const StoreError&) {
  }
  return 0;
}
