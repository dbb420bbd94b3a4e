// add_metadata_section: the machine and software a run's numbers belong to.
#include <initializer_list>
#include <optional>

#include "core/report/report_numbers.h"
#include "core/report/run_report.h"
#include "core/store/run_facts.h"

namespace gapscope {
namespace {

const std::string kNotRecorded = "not recorded";

// The first of `pointers` that holds something, as text (numbers too).
std::optional<std::string> text_at(const nlohmann::json& metadata, std::initializer_list<const char*> pointers) {
  if (!metadata.is_object()) return std::nullopt;
  for (const char* pointer : pointers) {
    const nlohmann::json::json_pointer at(pointer);
    if (!metadata.contains(at)) continue;
    const nlohmann::json& value = metadata.at(at);
    if (value.is_null() || (value.is_string() && value.get<std::string>().empty())) continue;
    return value.is_string() ? value.get<std::string>() : value.dump();
  }
  return std::nullopt;
}

template <typename T>
std::optional<T> either(const std::optional<T>& stored, const std::optional<T>& from_metadata) {
  return stored ? stored : from_metadata;
}

std::string or_not_recorded(const std::optional<std::string>& text) {
  return text && !text->empty() ? *text : kNotRecorded;
}

std::string or_not_recorded(const std::optional<int64_t>& number) {
  return number ? std::to_string(*number) : kNotRecorded;
}

// Bytes as a number are shown in GB; text is kept as written.
std::string memory_text(const nlohmann::json& metadata) {
  for (const char* pointer : {"/machine/memory_bytes", "/machine/total_memory_bytes", "/machine/memory", "/machine/ram"}) {
    const nlohmann::json::json_pointer at(pointer);
    if (!metadata.is_object() || !metadata.contains(at)) continue;
    const nlohmann::json& value = metadata.at(at);
    if (value.is_number()) return format_bytes(value.get<double>());
    if (value.is_string() && !value.get<std::string>().empty()) return value.get<std::string>();
  }
  return kNotRecorded;
}

std::optional<int64_t> seed_of(const StoredRun& run, const RunFacts& facts) {
  if (facts.seed) return facts.seed;
  const nlohmann::json& metadata = run.summary.metadata;
  const nlohmann::json::json_pointer sweep_seed("/sweep/seed");
  if (metadata.is_object() && metadata.contains(sweep_seed) && metadata.at(sweep_seed).is_number_integer())
    return metadata.at(sweep_seed).get<int64_t>();
  for (const StoredConfiguration& c : run.configurations) {
    const auto it = c.plan.config.is_object() ? c.plan.config.find("seed") : c.plan.config.end();
    if (c.plan.config.is_object() && it != c.plan.config.end() && it->is_number_integer()) return it->get<int64_t>();
  }
  return std::nullopt;
}

}  // namespace

void add_metadata_section(HtmlDocument& doc, const StoredRun& run) {
  const nlohmann::json& metadata = run.summary.metadata;
  const RunFacts& stored = run.summary.facts;
  const RunFacts read = run_facts_from_metadata(metadata);  // for runs whose facts were never extracted
  RunFacts facts;
  facts.started = either(stored.started, read.started);
  facts.app_version = either(stored.app_version, read.app_version);
  facts.git_revision = either(stored.git_revision, read.git_revision);
  facts.cpu_model = either(stored.cpu_model, read.cpu_model);
  facts.vulkan_device = either(stored.vulkan_device, read.vulkan_device);
  facts.qt_version = either(stored.qt_version, read.qt_version);
  facts.qtwebengine_version = either(stored.qtwebengine_version, read.qtwebengine_version);
  facts.chromium_version = either(stored.chromium_version, read.chromium_version);
  facts.chromium_flags = either(stored.chromium_flags, read.chromium_flags);
  facts.tfjs_version = either(stored.tfjs_version, read.tfjs_version);
  facts.compiler = either(stored.compiler, read.compiler);
  facts.flags = either(stored.flags, read.flags);
  facts.hardware_threads = either(stored.hardware_threads, read.hardware_threads);
  facts.seed = either(stored.seed, read.seed);

  doc.heading(2, "Machine and software", "machine");
  doc.paragraph("The numbers in this report hold for this machine and these versions only.");
  doc.heading(3, "Machine");
  doc.definition_list({
      {"CPU", or_not_recorded(facts.cpu_model)},
      {"Cores (hardware threads)", or_not_recorded(facts.hardware_threads)},
      {"Memory", memory_text(metadata)},
      {"Operating system",
       or_not_recorded(text_at(metadata, {"/machine/os", "/machine/operating_system", "/software/os", "/machine/kernel"}))},
      {"Vulkan device", or_not_recorded(facts.vulkan_device)},
  });
  doc.heading(3, "Software");
  std::vector<std::pair<std::string, std::string>> software = {
      {"gapscope version", or_not_recorded(facts.app_version)},
      {"Git revision", or_not_recorded(facts.git_revision)},
      {"Compiler", or_not_recorded(facts.compiler)},
      {"Qt", or_not_recorded(facts.qt_version)},
      {"QtWebEngine", or_not_recorded(facts.qtwebengine_version)},
      {"Chromium", or_not_recorded(facts.chromium_version)},
      {"TensorFlow.js", or_not_recorded(facts.tfjs_version)},
      {"Chromium flags", or_not_recorded(facts.chromium_flags)},
      {"Command-line flags", or_not_recorded(facts.flags)},
      {"Seed", or_not_recorded(seed_of(run, facts))},
      {"Started", or_not_recorded(facts.started)},
  };
  if (const auto platform = text_at(metadata, {"/software/qt_platform"})) software.emplace_back("Qt platform", *platform);
  doc.definition_list(software);
}

}  // namespace gapscope
