// Reading JSON objects field by field, with errors (SpecError) that name the
// field path and the rule: "layers[0].units must be an integer, got string".
// Used by the spec parser and by model-file readers (which add the file path).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gapscope {

// "string", "integer", "number", "boolean", "null", "array", "object".
std::string json_kind(const nlohmann::json& j);
// `j` as JSON text for a message, cut after about max_chars with "...": an
// outside value of any size or depth stays one short line, and writing it
// never recurses deeper than max_chars.
std::string json_excerpt(const nlohmann::json& j, size_t max_chars = 60);
// field_path("layers[2]", "units") == "layers[2].units"; field_path("", "name") == "name".
std::string field_path(std::string_view parent, std::string_view key);
// element_path("layers", 2) == "layers[2]".
std::string element_path(std::string_view parent, size_t index);

const nlohmann::json& expect_object(const nlohmann::json& j, const std::string& path);
const nlohmann::json& expect_array(const nlohmann::json& j, const std::string& path);
// Null when the key is absent.
const nlohmann::json* optional_field(const nlohmann::json& object, std::string_view key);
// Throws "<path>.<key> is missing; <hint>" when absent.
const nlohmann::json& required_field(const nlohmann::json& object, const std::string& object_path,
                                     std::string_view key, std::string_view hint = {});

std::string read_string(const nlohmann::json& j, const std::string& path);
int64_t read_integer(const nlohmann::json& j, const std::string& path);
double read_number(const nlohmann::json& j, const std::string& path);
// A number that is finite as a float32.
float read_float(const nlohmann::json& j, const std::string& path);
bool read_bool(const nlohmann::json& j, const std::string& path);

// Throws for the first key not in `known`, naming its path, the known keys and
// the closest one ("did you mean 'units'?"): typos must not pass silently.
void reject_unknown_keys(const nlohmann::json& object, const std::string& path,
                         const std::vector<std::string_view>& known, std::string_view what);

// "a, b, c".
std::string join_names(const std::vector<std::string_view>& names);
std::string join_names(const std::vector<std::string>& names);

}  // namespace gapscope
