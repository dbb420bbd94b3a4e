// Name tables for the engine's enums (activations, losses, optimizers,
// initializers): one lookup in each direction, and the list of all values.
// Parsing ignores case and underscores, because TF.js writes camelCase or
// class names ("hardSigmoid", "GlorotUniform", "RMSProp") where Keras files
// write snake_case ("hard_sigmoid").
#pragma once
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gapscope {

template <typename Enum>
struct EnumName {
  Enum value;
  std::string_view name;
};

// Lower case without underscores: the form names are compared in.
std::string fold_name(std::string_view name);

// `kind` names the enum in the error ("activation").
template <typename Enum>
std::string_view name_of(std::span<const EnumName<Enum>> table, Enum value, const char* kind) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  throw std::invalid_argument(std::string(kind) + "_name: unknown " + kind + " " +
                              std::to_string(static_cast<int>(value)));
}

template <typename Enum>
std::optional<Enum> parse_name(std::span<const EnumName<Enum>> table, std::string_view name) {
  std::string key = fold_name(name);
  for (const auto& entry : table)
    if (!key.empty() && key == fold_name(entry.name)) return entry.value;
  return std::nullopt;
}

template <typename Enum>
std::vector<Enum> all_values(std::span<const EnumName<Enum>> table) {
  std::vector<Enum> values;
  for (const auto& entry : table) values.push_back(entry.value);
  return values;
}

}  // namespace gapscope
