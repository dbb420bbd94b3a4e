#include "core/report/paper_zoo_section.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "core/analysis/paper_reference.h"
#include "core/analysis/ratio_analysis.h"
#include "core/measure/backend_catalog.h"
#include "core/report/report_numbers.h"
#include "core/report/svg_chart.h"

namespace gapscope {
namespace {

// What one model's run measured: per backend its pooled phases, the model's
// sizes from the run's config.
struct ZooModel {
  std::string preset;
  int64_t input_size = 0, parameters = 0, flops = 0;
  std::map<std::string, std::map<std::string, PooledMeasurement>> by_backend;  // backend -> phase[/format]
  std::map<std::string, std::string> failures;                                 // backend -> reason: message

  const PooledMeasurement* find(const std::string& backend, const std::string& key) const {
    auto b = by_backend.find(backend);
    if (b == by_backend.end()) return nullptr;
    auto m = b->second.find(key);
    return m == b->second.end() || m->second.summary.n == 0 ? nullptr : &m->second;
  }
  std::optional<double> infer_ms(const std::string& backend) const {
    const PooledMeasurement* m = find(backend, "infer");
    return m ? std::optional<double>(m->summary.median) : std::nullopt;
  }
};

ZooModel zoo_model(const StoredRun& run) {
  ZooModel model;
  for (const StoredConfiguration& c : run.configurations) {
    const nlohmann::json& config = c.plan.config;
    model.preset = config.value("preset", c.plan.model);
    model.input_size = config.value("input_size", int64_t{0});
    model.parameters = config.value("parameters", int64_t{0});
    model.flops = config.value("flops", int64_t{0});
    if (c.failure_reason) model.failures[c.plan.backend] = *c.failure_reason + ": " + c.failure_message.value_or("");
  }
  for (const PooledMeasurement& m : pool_rounds(run))
    model.by_backend[m.backend][m.format.empty() ? m.phase : m.phase + "/" + m.format] = m;
  return model;
}

std::optional<double> paper_value(const std::string& model, const std::string& what) {
  for (const PaperValue& v : paper_values())
    if (v.figure == "Table 4" && v.framework == model && v.what == what) return v.value;
  return std::nullopt;
}

std::string millions(double value) { return format_significant(value / 1e6) + " M"; }

void add_table4(HtmlDocument& doc, const std::vector<ZooModel>& models) {
  Table table;
  table.caption = "Table 4 (reproduced): the zoo's models with seeded weights. Parameters count batch norm's moving "
                  "statistics as Keras's summary() does; FLOPs are per image at the input size (2 x multiply-adds); "
                  "file sizes are native-cpu's (the same weights in each format), each with the time native-cpu "
                  "takes to load it into a model ready to run (median of 3)";
  table.header = {"model", "input", "parameters", "paper (trainable)", "FLOPs per image", "paper (tf.profiler)",
                  "native binary", "JSON", "TF.js", "paper (Keras file)"};
  table.numeric_columns = {false, true, true, true, true, true, true, true, true, true};
  for (const ZooModel& m : models) {
    auto size = [&](const char* format) {
      const PooledMeasurement* f = m.find("native-cpu", std::string("file_size/") + format);
      if (!f) return std::string("-");
      const PooledMeasurement* load = m.find("native-cpu", std::string("file_load/") + format);
      return format_bytes(f->summary.median) + (load ? ", " + format_milliseconds(load->summary.median) : "");
    };
    auto paper = [&](const char* what, const char* unit) -> std::string {
      const auto v = paper_value(m.preset, what);
      if (!v) return "-";
      return std::string(unit) == "MB" ? format_significant(*v) + " MB" : millions(*v);
    };
    table.rows.push_back({m.preset, std::to_string(m.input_size) + "x" + std::to_string(m.input_size),
                          millions(static_cast<double>(m.parameters)), paper("trainable parameters", ""),
                          format_significant(static_cast<double>(m.flops) / 1e9) + " G",
                          paper("computation (tf.profiler FLOPs)", ""), size("native"), size("json"), size("tfjs"),
                          paper("pre-trained model size", "MB")});
  }
  doc.table(table);
  doc.paragraph("The paper's \"computation\" column is what tf.profiler reports for a graph without an input: about "
                "twice the parameters, a count of operations on the weights, not the work of one image. The "
                "per-image FLOPs here are what a forward pass computes at the input size.");
}

void add_figure5(HtmlDocument& doc, const std::vector<ZooModel>& models, const std::vector<std::string>& backends) {
  BarChart chart;
  chart.title = "Figure 5 (reproduced): inference time per image";
  chart.y_label = "ms per image";
  for (const ZooModel& m : models) chart.categories.push_back(m.preset);
  Table table;
  table.caption = "Figure 5 (reproduced): median (p10-p90) ms per image, batch 1, and the ratio to native-cpu";
  table.header = {"backend"};
  for (const ZooModel& m : models) table.header.push_back(m.preset);
  table.numeric_columns.assign(table.header.size(), true);
  table.numeric_columns[0] = false;
  std::vector<double> all;
  for (const std::string& backend : backends) {
    ChartSeries series{backend, {}, {}, {}};
    std::vector<std::string> row = {backend};
    for (const ZooModel& m : models) {
      const PooledMeasurement* infer = m.find(backend, "infer");
      series.values.push_back(infer ? infer->summary.median : NAN);
      series.low.push_back(infer ? infer->summary.p10 : NAN);
      series.high.push_back(infer ? infer->summary.p90 : NAN);
      if (!infer) {
        auto failure = m.failures.find(backend);
        row.push_back(failure == m.failures.end() ? "-" : "failed (" + failure->second.substr(0, failure->second.find(':')) + ")");
        continue;
      }
      all.push_back(infer->summary.median);
      std::string cell = format_milliseconds(infer->summary.median) + " (" + format_milliseconds(infer->summary.p10) +
                         "-" + format_milliseconds(infer->summary.p90) + ")";
      const auto native = m.infer_ms("native-cpu");
      if (native && backend != "native-cpu" && *native > 0) cell += " " + format_ratio(infer->summary.median / *native);
      row.push_back(cell);
    }
    chart.series.push_back(std::move(series));
    table.rows.push_back(std::move(row));
  }
  chart.log_y = spans_orders_of_magnitude(all);
  doc.figure(render_svg(chart), chart.title + (chart.log_y ? " (log scale)" : ""));
  doc.table(table);
  for (const ZooModel& m : models)
    for (const auto& [backend, why] : m.failures) doc.paragraph(m.preset + " on " + backend + " failed: " + why);
}

}  // namespace

void add_zoo_section(HtmlDocument& doc, const std::vector<StoredRun>& zoo_runs) {
  doc.heading(2, "Section 5.1: Keras's pre-trained models (Table 4, Figure 5)", "section-5-1");
  if (zoo_runs.empty()) {
    doc.paragraph("Not measured: the reproduction ran no zoo part.");
    return;
  }
  doc.paragraph("The paper ran five of Keras's pre-trained models in TF.js and in TensorFlow. Pre-trained weights "
                "cannot be downloaded here, and inference time does not depend on their values: gapscope builds the "
                "same architectures (Keras's layer names, shapes and parameter counts) with seeded weights and runs "
                "them with the same weights on every backend.");
  std::vector<ZooModel> models;
  for (const StoredRun& run : zoo_runs) models.push_back(zoo_model(run));
  std::vector<std::string> backends;
  for (const std::string& id : backend_ids())
    for (const ZooModel& m : models)
      if (m.by_backend.count(id) || m.failures.count(id)) {
        backends.push_back(id);
        break;
      }
  add_table4(doc, models);
  add_figure5(doc, models, backends);
  doc.paragraph("Section 5.1's claims about GPUs are Table 6's findings 4 (a standalone GPU) and 5 (an integrated "
                "one), judged on these runs in the findings table at the top of this report.");
}

}  // namespace gapscope
