// The vocabulary a text model's file carries (ModelFile::vocabulary): the
// same JSON string in the native topology, the JSON model file and TF.js's
// userDefinedMetadata.
#include "core/base/json_fields.h"
#include "core/base/number_text.h"
#include "core/io/model_formats.h"

namespace gapscope {

std::string read_vocabulary_json(const nlohmann::json& object, const std::string& path) {
  const nlohmann::json* value = optional_field(object, "vocabulary");
  if (!value) return "";
  const std::string key_path = field_path(path, "vocabulary");
  std::string vocabulary = read_string(*value, key_path);
  if (static_cast<int64_t>(vocabulary.size()) > kMaxVocabularyBytes)
    throw SpecError(key_path + " holds " + with_thousands(static_cast<int64_t>(vocabulary.size())) +
                    " bytes, over the limit of " + with_thousands(kMaxVocabularyBytes));
  return vocabulary;
}

}  // namespace gapscope
