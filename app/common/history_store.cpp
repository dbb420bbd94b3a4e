#include "app/common/history_store.h"

namespace gapscope::cli {

ResultsStore open_history(const Arguments& args) {
  return ResultsStore::open(args.has(kDbFlag) ? std::filesystem::path(args.get(kDbFlag)) : default_results_path());
}

}  // namespace gapscope::cli
