#include "app/common/command_errors.h"

#include <cstdio>
#include <new>

#include "app/common/arguments.h"
#include "core/data/dataset.h"
#include "core/io/model_file.h"
#include "core/ops/ops_backend.h"
#include "core/spec/model_spec.h"
#include "core/store/store_error.h"

namespace gapscope::cli {

int run_reporting_errors(const std::string& program, const std::string& command, const std::function<int()>& body) {
  const std::string who = program + " " + command;
  try {
    return body();
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
    return kUsage;
  } catch (const SpecError& e) {
    std::fprintf(stderr, "%s: invalid model spec: %s\n", who.c_str(), e.what());
    return kBadInput;
  } catch (const DataError& e) {
    std::fprintf(stderr, "%s: bad data: %s\n", who.c_str(), e.what());
    return kBadInput;
  } catch (const ModelFileError& e) {
    std::fprintf(stderr, "%s: bad model file: %s\n", who.c_str(), e.what());
    return kBadInput;
  } catch (const StoreError& e) {
    std::fprintf(stderr, "%s: run history: %s\n", who.c_str(), e.what());
    return kBadInput;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
    return kBadInput;
  } catch (const BackendUnavailable& e) {
    std::fprintf(stderr, "%s: backend unavailable: %s\n", who.c_str(), e.what());
    return kUnavailable;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%s: out of memory\n", who.c_str());
    return kFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
    return kFailed;
  }
}

}  // namespace gapscope::cli
