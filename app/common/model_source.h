// Where a command's model comes from: a preset (--preset NAME --depth D --width W),
// a ModelSpec JSON file, or a saved model file in any of the three formats.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/common/arguments.h"
#include "core/io/model_file.h"
#include "core/nn/weights.h"
#include "core/spec/model_spec.h"

namespace gapscope::cli {

struct ModelSource {
  ModelSpec spec;
  std::optional<WeightSet> weights;  // set when loaded from a model file
  nlohmann::json config;             // what the records say about the model's origin
  // A zoo preset: commands time inference only unless --phases says otherwise
  // (the paper's Section 5.1; training ResNet50 at 224 takes minutes a step
  // in a browser, hours for a protocol).
  bool inference_by_default = false;
};

// The phases a command runs when --phases is not given: `all`, or for a zoo
// preset load, warmup, infer and file_size.
std::vector<std::string> default_phases(const ModelSource& source, const std::vector<std::string>& all);

// The flags resolve_model reads (add them to a command's value flags).
extern const std::set<std::string> kModelFlags;
// `vocabulary` > 0: the data is text with that many characters, and a
// character-level preset (paper-rnn) is sized to it.
ModelSource resolve_model(const Arguments& args, int64_t vocabulary = 0);
// Preset by name with depth and width (throws SpecError on unknown names/ranges).
ModelSource preset_model(const std::string& name, int64_t depth, int64_t width, int64_t vocabulary = 0);
// The model file (or spec) a flag or argument names, readable more than once:
// a pipe (`--model <(cat m.gsm)`) is read into memory once, up to the model
// file limit (core/base/replayable_input.h). Errors of read() name the
// argument as given, never the in-memory copy.
class ModelArgument {
 public:
  explicit ModelArgument(std::string given);
  const std::string& given() const { return given_; }
  // reader(path) for a path that can be read again and again; its
  // ModelFileError or SpecError is rethrown with the given name in it.
  template <class Reader>
  auto read(Reader&& reader) const -> decltype(reader(std::string())) {
    try {
      return reader(path_);
    } catch (const ModelFileError& e) {
      throw ModelFileError(as_given(e.what()));
    } catch (const SpecError& e) {
      throw SpecError(as_given(e.what()));
    }
  }
  // load_runnable_model (no NaN weights), with the file's notes (settings
  // read but not used) on stderr.
  ModelFile load() const;
  // load_model, any weights: for inspect.
  ModelFile load_any() const;

 private:
  std::string as_given(std::string message) const;
  ModelFile noted(ModelFile file) const;
  std::string given_, path_;
};
// Help text for the model flags.
const char* model_flags_help();

}  // namespace gapscope::cli
