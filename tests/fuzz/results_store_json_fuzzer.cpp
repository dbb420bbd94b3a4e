// The run history's JSON columns (run records, plans, measurements): a valid
// history with one column set to the fuzzed text (its first byte picks the
// column, kStoreJsonColumns), then what `gapscope history` and `report` do
// with it: list, load, the records as JSON lines and CSV, the HTML report.
// The store must refuse bad JSON with a StoreError; the reports may refuse a
// run with any exception (the app prints it and exits 1), but never crash.
#include <cstdint>
#include <exception>
#include <string>

#include "core/analysis/ratio_analysis.h"
#include "core/report/records_export.h"
#include "core/report/run_report.h"
#include "core/store/sqlite_handle.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/seed_store.h"

using namespace gapscope;

namespace {

const std::string& seed_store_bytes() {
  static const std::string bytes = [] {
    const std::filesystem::path path = fuzz::scratch_directory() / "seed.sqlite";
    fuzz::write_seed_store(path);
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const fuzz::StoreJsonColumn& target = fuzz::kStoreJsonColumns[data[0] % std::size(fuzz::kStoreJsonColumns)];
  for (const char* side : {"results.sqlite-journal", "results.sqlite-wal", "results.sqlite-shm"})
    fuzz::remove_scratch_file(side);
  const std::string path = fuzz::write_scratch_file("results.sqlite", seed_store_bytes());
  {
    sqlite::Connection db = sqlite::open_connection(path);
    sqlite::Statement(db.get(), std::string("UPDATE ") + target.table + " SET " + target.column + " = ?1")
        .bind(1, fuzz::as_text(data + 1, size - 1))
        .run();
  }
  std::vector<StoredRun> runs;
  try {
    const ResultsStore store = ResultsStore::open(path);
    for (const RunSummary& run : store.list_runs()) runs.push_back(store.load_run(run.id));
  } catch (const StoreError&) {
    return 0;
  }
  for (const StoredRun& run : runs) {
    try {
      (void)records_json(run);
      (void)records_csv(run);
      (void)run_report_html(run, analyse_ratios(run), {});
    } catch (const std::exception&) {
    }
  }
  return 0;
}
