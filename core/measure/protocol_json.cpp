#include "core/measure/protocol_json.h"

#include <cmath>
#include <map>
#include <stdexcept>

namespace gapscope {
namespace {

std::map<std::string, int Protocol::*> count_fields() {
  return {{"load_warmup", &Protocol::load_warmup},   {"load_runs", &Protocol::load_runs},
          {"warmup_runs", &Protocol::warmup_runs},   {"infer_warmup", &Protocol::infer_warmup},
          {"infer_runs", &Protocol::infer_runs},     {"train_warmup", &Protocol::train_warmup},
          {"train_runs", &Protocol::train_runs}};
}

// The timed runs of each measured phase (warm-up counts may be 0).
const std::map<std::string, std::string> kRunsOfPhase = {
    {"load", "load_runs"}, {"warmup", "warmup_runs"}, {"infer", "infer_runs"}, {"train", "train_runs"}};

}  // namespace

nlohmann::json protocol_to_json(const Protocol& p) {
  nlohmann::json j = {{"batch_size", p.batch_size}, {"phases", p.phases}};
  for (const auto& [name, field] : count_fields()) j[name] = p.*field;
  return j;
}

Protocol protocol_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw std::invalid_argument("protocol must be a JSON object");
  Protocol p;
  const auto counts = count_fields();
  for (const auto& [name, value] : j.items()) {
    if (name == "batch_size") {
      if (!value.is_number_integer() || value.get<int64_t>() < 1)
        throw std::invalid_argument("protocol.batch_size must be an integer >= 1");
      p.batch_size = value.get<int64_t>();
    } else if (name == "phases") {
      if (!value.is_array()) throw std::invalid_argument("protocol.phases must be an array of phase names");
      p.phases.clear();
      for (const auto& phase : value) {
        if (!phase.is_string()) throw std::invalid_argument("protocol.phases must hold strings");
        p.phases.push_back(phase.get<std::string>());
      }
    } else if (auto it = counts.find(name); it != counts.end()) {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 1000000)
        throw std::invalid_argument("protocol." + name + " must be an integer in [0, 1000000]");
      p.*(it->second) = value.get<int>();
    } else {
      throw std::invalid_argument("protocol." + name + " is not a protocol field");
    }
  }
  // Zero timed runs would record a median of 0 from no sample at all.
  for (const auto& [phase, name] : kRunsOfPhase)
    if (p.wants(phase) && p.*(counts.at(name)) < 1)
      throw std::invalid_argument("protocol." + name + " must be at least 1 while phases has \"" + phase +
                                  "\", got " + std::to_string(p.*(counts.at(name))));
  return p;
}

nlohmann::json progress_to_json(const ProgressEvent& e) {
  nlohmann::json j = {{"kind", "progress"}, {"phase", e.phase}, {"step", e.step}, {"steps", e.steps}, {"ms", e.ms}};
  if (!std::isnan(e.loss)) j["loss"] = e.loss;
  if (!std::isnan(e.accuracy)) j["accuracy"] = e.accuracy;
  return j;
}

ProgressEvent progress_from_json(const nlohmann::json& j) {
  ProgressEvent e;
  e.phase = j.value("phase", "");
  e.step = j.value("step", int64_t{0});
  e.steps = j.value("steps", int64_t{0});
  e.ms = j.value("ms", 0.0);
  if (j.contains("loss") && j["loss"].is_number()) e.loss = j["loss"].get<double>();
  if (j.contains("accuracy") && j["accuracy"].is_number()) e.accuracy = j["accuracy"].get<double>();
  return e;
}

}  // namespace gapscope
