#include "core/analysis/paper_findings.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <set>

using namespace gapscope;

namespace {

struct Phase {
  std::string phase;
  std::vector<double> samples;
  std::string format = "";
  Capabilities capabilities = {};
};

StoredConfiguration configuration(const std::string& backend, const std::string& preset, int64_t depth, int64_t width,
                                  std::vector<Phase> phases, int round = 0) {
  StoredConfiguration c;
  c.plan.backend = backend;
  c.plan.model = preset + "-" + std::to_string(depth) + "x" + std::to_string(width);
  c.plan.config = {{"preset", preset}, {"depth", depth}, {"width", width}, {"batch", 64}, {"round", round}};
  c.status = ConfigurationStatus::done;
  for (Phase& p : phases) {
    const std::string unit = p.phase == "file_size" ? "bytes" : p.phase == "cpu_utilisation" ? "ratio" : "ms";
    Measurement m = make_measurement(p.phase, unit, p.samples);
    m.format = p.format;
    m.capabilities = p.capabilities;
    c.measurements.push_back(std::move(m));
  }
  return c;
}

StoredConfiguration unsupported(const std::string& backend, const std::string& preset) {
  StoredConfiguration c = configuration(backend, preset, 1, 8, {});
  c.status = ConfigurationStatus::failed;
  c.failure_reason = "unsupported";
  return c;
}

StoredRun run_of(std::vector<StoredConfiguration> configurations) {
  StoredRun run;
  run.summary.id = "run-1";
  run.configurations = std::move(configurations);
  return run;
}

FindingCheck finding(const std::vector<StoredRun>& runs, const std::string& id) {
  const auto checks = check_paper_findings(runs);
  REQUIRE(checks.size() == paper_findings().size());
  for (const FindingCheck& check : checks)
    if (check.finding.id == id) return check;
  FAIL("no check for finding " << id);
  return {};
}

// A whole model (a zoo run): no depth or width.
StoredConfiguration model_configuration(const std::string& backend, const std::string& model, std::vector<Phase> phases) {
  StoredConfiguration c = configuration(backend, model, 0, 0, std::move(phases));
  c.plan.config = {{"preset", model}};
  return c;
}

bool says(const FindingCheck& check, const std::string& text) { return check.evidence.find(text) != std::string::npos; }

// The Section 4 DNN grid: each backend's train time is factor * depth * width / 64 ms.
StoredRun small_dnn_run(const std::map<std::string, double>& factor) {
  std::vector<StoredConfiguration> configurations;
  for (int64_t depth : {1, 2})
    for (int64_t width : {64, 128}) {
      const double base = static_cast<double>(depth * width) / 64;
      for (const auto& [backend, f] : factor)
        configurations.push_back(
            configuration(backend, "paper-dnn", depth, width, {{"train", {f * base}}, {"infer", {f * base / 10}}}));
    }
  return run_of(configurations);
}

}  // namespace

TEST_CASE("the paper's reference data: Table 6's eight findings and the additions, the three gap grids", "[paper]") {
  const auto& findings = paper_findings();
  std::vector<std::string> ids;
  for (const PaperFinding& f : findings) {
    ids.push_back(f.id);
    CHECK_FALSE(f.name.empty());
    CHECK_FALSE(f.statement.empty());
    CHECK(f.addition() == (f.source != "Table 6"));
  }
  CHECK(ids == std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "A1", "A2", "A3"});
  CHECK(paper_finding("2").name == "Model complexity");
  CHECK(paper_finding("7").name == "Framework call stack");
  CHECK_THROWS_WITH(paper_finding("9"), Catch::Contains("there are 1, 2") && Catch::Contains("A3"));
  CHECK_THAT(paper_numbers("6"), Catch::Contains("7 x (Table 3)"));
  CHECK_THAT(paper_numbers("A3"), Catch::Contains("33.9 x (Section 5.2.3)"));
  CHECK_THAT(paper_numbers("8"), Catch::Contains("0.821 busy cores (Table 2)") && Catch::Contains("1 GB"));
  CHECK(paper_numbers("3").empty());  // drawn in Figures 2-4 only

  std::set<std::string> models;
  for (const PaperGrid& grid : paper_gap_grids()) {
    models.insert(grid.model);
    CHECK_FALSE(grid.depths.empty());
    CHECK_FALSE(grid.widths.empty());
    CHECK_FALSE(grid.source.empty());
  }
  CHECK(models == std::set<std::string>{"paper-dnn", "paper-cnn", "paper-rnn"});

  // Values the paper states in its text are there; the ones only drawn stay empty, never guessed.
  std::map<std::string, double> stated;
  for (const PaperValue& v : paper_values()) {
    CHECK_FALSE(v.source.empty());
    if (v.figure.rfind("Figure", 0) == 0 && v.figure != "Figure 6") CHECK_FALSE(v.value.has_value());
    if (v.value) stated[v.figure + "/" + v.framework + "/" + v.what] = *v.value;
  }
  CHECK(stated.at("Table 2/tfjs-cpu/CPU utilisation while training, average") == 0.821);
  CHECK(stated.at("Section 5.2.3/tfjs-cpu/DNN training, browser / native time ratio, average") == 33.9);
  CHECK(stated.at("Section 5.2.3/tfjs-cpu/DNN inference, browser / native time ratio, average") == 5.8);
  CHECK(stated.at("Table 3//JSON model file size over the binary (TF.js) one") == 7.0);
  // Table 3 per configuration, as printed: depth 4, width 256.
  int table3 = 0;
  for (const PaperValue& v : paper_values())
    if (v.figure == "Table 3" && v.config == "4x256") {
      ++table3;
      if (v.framework == "synaptic") CHECK(v.value == 26.5);
      if (v.framework == "tfjs-cpu") CHECK(v.value == 1.6);
    }
  CHECK(table3 == 4);
}

TEST_CASE("no runs: every finding is not measured and says what is missing", "[paper]") {
  const auto checks = check_paper_findings({});
  REQUIRE(checks.size() == paper_findings().size());
  for (size_t i = 0; i < checks.size(); ++i) {
    CHECK(checks[i].finding.id == paper_findings()[i].id);
    CHECK(checks[i].verdict == Verdict::not_measured);
    CHECK_FALSE(checks[i].evidence.empty());
  }
  CHECK(std::string(to_string(Verdict::confirmed)) == "confirmed");
  CHECK(std::string(to_string(Verdict::not_confirmed)) == "not_confirmed");
  CHECK(std::string(to_string(Verdict::not_measured)) == "not_measured");
}

TEST_CASE("addition A1: ConvNetJS fastest on small DNNs, judged per configuration", "[paper]") {
  SECTION("holds everywhere") {
    const auto check = finding({small_dnn_run({{"convnetjs", 1}, {"tfjs-cpu", 5}, {"brainjs", 3}})}, "A1");
    CHECK(check.verdict == Verdict::confirmed);
    CHECK(says(check, "on 8 of 8"));
    CHECK(says(check, "paper-dnn 1x64 train: convnetjs 1.00 ms vs brainjs 3.00 ms"));
  }
  SECTION("does not hold") {
    const auto check = finding({small_dnn_run({{"convnetjs", 4}, {"tfjs-cpu", 2}})}, "A1");
    CHECK(check.verdict == Verdict::not_confirmed);
    CHECK(says(check, "on 0 of 8"));
    CHECK(says(check, "not so at paper-dnn 1x64 train: convnetjs 4.00 ms vs tfjs-cpu 2.00 ms"));
  }
  SECTION("tfjs-wasm is reported, not judged") {
    const auto check = finding({small_dnn_run({{"convnetjs", 1}, {"tfjs-cpu", 5}, {"tfjs-wasm", 0.5}})}, "A1");
    CHECK(check.verdict == Verdict::confirmed);
    CHECK(says(check, "tfjs-wasm, which the paper did not have, is slower than convnetjs on 0 of 8."));
  }
  SECTION("convnetjs not run") {
    const auto check = finding({small_dnn_run({{"tfjs-cpu", 5}})}, "A1");
    CHECK(check.verdict == Verdict::not_measured);
    CHECK(says(check, "no measurements of convnetjs"));
  }
}

TEST_CASE("rounds are pooled before the median", "[paper]") {
  // Round 0 alone would make convnetjs slower (9 > 5); pooled with round 1 its median is 2.
  const StoredRun run = run_of({
      configuration("convnetjs", "paper-dnn", 1, 64, {{"train", {9}}}, 0),
      configuration("convnetjs", "paper-dnn", 1, 64, {{"train", {1, 2}}}, 1),
      configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"train", {5}}}),
  });
  const auto check = finding({run}, "A1");
  CHECK(check.verdict == Verdict::confirmed);
  CHECK(says(check, "convnetjs 2.00 ms vs tfjs-cpu 5.00 ms"));
}

TEST_CASE("the 75% threshold: 3 of 4 confirms, 2 of 4 does not", "[paper]") {
  auto gap_run = [](int browser_slower) {
    std::vector<StoredConfiguration> configurations;
    int point = 0;
    for (int64_t width : {64, 128, 256, 512}) {
      const double browser = point++ < browser_slower ? 10 : 0.5;
      configurations.push_back(configuration("native-cpu", "paper-dnn", 1, width, {{"train", {1}}}));
      configurations.push_back(configuration("tfjs-cpu", "paper-dnn", 1, width, {{"train", {browser}}}));
    }
    return run_of(configurations);
  };
  const auto three = finding({gap_run(3)}, "A3");
  CHECK(three.verdict == Verdict::confirmed);
  CHECK(says(three, "on 3 of 4"));
  CHECK(says(three, "tfjs-cpu takes 10.0x native-cpu's time"));
  CHECK(finding({gap_run(2)}, "A3").verdict == Verdict::not_confirmed);
}

TEST_CASE("finding 1: which frameworks can build which model families", "[paper]") {
  std::vector<StoredConfiguration> configurations;
  for (const char* preset : {"paper-dnn", "paper-cnn", "paper-rnn"})
    configurations.push_back(configuration("tfjs-cpu", preset, 1, 8, {{"train", {1}}}));
  configurations.push_back(configuration("convnetjs", "paper-dnn", 1, 8, {{"train", {1}}}));
  configurations.push_back(configuration("convnetjs", "paper-cnn", 1, 8, {{"train", {1}}}));
  configurations.push_back(unsupported("convnetjs", "paper-rnn"));
  configurations.push_back(configuration("brainjs", "paper-dnn", 1, 8, {{"train", {1}}}));
  configurations.push_back(unsupported("brainjs", "paper-cnn"));
  SECTION("the others cannot build everything TF.js builds") {
    const auto check = finding({run_of(configurations)}, "1");
    CHECK(check.verdict == Verdict::confirmed);
    CHECK(says(check, "convnetjs cannot build paper-rnn"));
    CHECK(says(check, "brainjs cannot build paper-cnn"));
    CHECK(says(check, "synaptic not run"));
    CHECK(says(check, "holds for 2 of 2"));
  }
  SECTION("one that builds everything counts against it") {
    for (const char* preset : {"paper-dnn", "paper-cnn", "paper-rnn"})
      configurations.push_back(configuration("synaptic", preset, 1, 8, {{"train", {1}}}));
    const auto check = finding({run_of(configurations)}, "1");
    CHECK(check.verdict == Verdict::not_confirmed);
    CHECK(says(check, "synaptic built all of them too"));
  }
  SECTION("a family one TF.js backend cannot build but another can still counts as built by TF.js") {
    configurations.push_back(unsupported("tfjs-wasm", "paper-cnn"));
    const auto check = finding({run_of(configurations)}, "1");
    CHECK(check.verdict == Verdict::confirmed);
    CHECK(says(check, "some TF.js backends could not build paper-cnn, others did"));
  }
  SECTION("a family no TF.js backend builds refutes it") {
    configurations.push_back(unsupported("tfjs-wasm", "paper-lstm"));
    configurations.push_back(configuration("convnetjs", "paper-lstm", 1, 8, {{"train", {1}}}));
    const auto check = finding({run_of(configurations)}, "1");
    CHECK(check.verdict == Verdict::not_confirmed);
    CHECK(says(check, "TF.js itself could not build paper-lstm"));
  }
  SECTION("only one family tried") {
    const auto check = finding({small_dnn_run({{"convnetjs", 1}, {"tfjs-cpu", 5}})}, "1");
    CHECK(check.verdict == Verdict::not_measured);
    CHECK(says(check, "TF.js built only paper-dnn"));
  }
}

TEST_CASE("addition A2: WebGL against the CPU backend in training, only on a real GPU", "[paper]") {
  auto run_with = [](const std::string& renderer) {
    return run_of({
        configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"train", {20}}, {"infer", {1}}}),
        configuration("tfjs-webgl", "paper-dnn", 1, 64,
                      {{"train", {4}, "", {{"webgl_renderer", renderer}}}, {"infer", {3}}}),
    });
  };
  const auto gpu = finding({run_with("NVIDIA H100/PCIe/SSE2")}, "A2");
  CHECK(gpu.verdict == Verdict::confirmed);
  CHECK(says(gpu, "paper-dnn 1x64 train: tfjs-webgl 4.00 ms vs tfjs-cpu 20.0 ms"));
  CHECK(says(gpu, "tfjs-cpu infers faster than tfjs-webgl on 1 of 1 small paper-dnn"));
  const auto software = finding({run_with("llvmpipe (LLVM 15.0.6, 256 bits)")}, "A2");
  CHECK(software.verdict == Verdict::not_measured);
  CHECK(says(software, "software renderer, not a GPU (llvmpipe"));
}

TEST_CASE("finding 2: width against depth, fitted per browser series", "[paper]") {
  // time = scale * width^w_power * depth^d_power: a doubling of width costs 2^w_power.
  auto grid_run = [](double w_power, double d_power) {
    std::vector<StoredConfiguration> configurations;
    for (int64_t depth : {1, 2, 4})
      for (int64_t width : {64, 128, 256}) {
        const double w = static_cast<double>(width) / 64, d = static_cast<double>(depth);
        const double ms = std::pow(w, w_power) * std::pow(d, d_power);
        configurations.push_back(configuration("tfjs-cpu", "paper-dnn", depth, width, {{"train", {ms}}}));
        configurations.push_back(configuration("native-cpu", "paper-dnn", depth, width, {{"train", {ms / 10}}}));
      }
    return run_of(configurations);
  };
  const auto wide = finding({grid_run(1.5, 0.5)}, "2");
  CHECK(wide.verdict == Verdict::confirmed);
  CHECK(says(wide, "on 1 of 1 browser series"));
  CHECK(says(wide, "paper-dnn tfjs-cpu train: width x2.83, depth x1.41"));
  CHECK(says(wide, "Native, for comparison: paper-dnn native-cpu train: width x2.83"));
  const auto deep = finding({grid_run(0.5, 1.0)}, "2");
  CHECK(deep.verdict == Verdict::not_confirmed);
  CHECK(says(deep, "width x1.41, depth x2.00"));
  // One depth only: the two cannot be told apart.
  CHECK(finding({run_of({configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"train", {1}}}),
                         configuration("tfjs-cpu", "paper-dnn", 1, 128, {{"train", {2}}})})},
                "2")
            .verdict == Verdict::not_measured);
}

TEST_CASE("finding 6: JSON files much bigger than binary ones, and slower to load", "[paper]") {
  auto run_with = [](double tfjs_bytes, double json_bytes) {
    return run_of({
        configuration("native-cpu", "paper-dnn", 1, 64,
                      {{"file_size", {json_bytes}, "json"},
                       {"file_size", {tfjs_bytes}, "tfjs"},
                       {"file_size", {tfjs_bytes}, "native"}}),
        configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"load", {3}}}),
        configuration("convnetjs", "paper-dnn", 1, 64, {{"load", {6}}}),
        model_configuration("native-cpu", "resnet50", {{"file_load", {5000}, "json"}, {"file_load", {90}, "tfjs"}}),
    });
  };
  const auto bigger = finding({run_with(200 * 1024, 900 * 1024)}, "6");
  CHECK(bigger.verdict == Verdict::confirmed);
  CHECK(says(bigger, "900 KiB vs 200 KiB"));
  CHECK(says(bigger, "median JSON / binary 4.50x (paper: about 7x)"));
  CHECK(says(bigger, "tfjs-cpu 3.00 ms vs convnetjs 6.00 ms"));
  CHECK(says(bigger, "on 2 of 2 comparisons"));
  CHECK(finding({run_with(200 * 1024, 300 * 1024)}, "6").verdict == Verdict::not_confirmed);  // 1.5x is not "much"
  CHECK(finding({run_with(900 * 1024, 200 * 1024)}, "6").verdict == Verdict::not_confirmed);
  CHECK(finding({small_dnn_run({{"tfjs-cpu", 1}})}, "6").verdict == Verdict::not_measured);
}

TEST_CASE("finding 3: loading and warm-up against one inference", "[paper]") {
  const StoredRun run = run_of({
      configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"load", {5}}, {"warmup", {3}}, {"infer", {1}}}),
      configuration("tfjs-webgl", "paper-dnn", 1, 64, {{"load", {20}}, {"warmup", {500}}, {"infer", {2}}}),
  });
  const auto check = finding({run}, "3");
  CHECK(check.verdict == Verdict::confirmed);
  CHECK(says(check, "on 2 of 2 browser configurations"));
  CHECK(says(check, "tfjs-cpu 8.00x, tfjs-webgl 260x"));
  CHECK(says(check, "integrated GPU than on a standalone one) needs both kinds of GPU"));

  const StoredRun flat =
      run_of({configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"load", {0.5}}, {"warmup", {1.2}}, {"infer", {1}}})});
  CHECK(finding({flat}, "3").verdict == Verdict::not_confirmed);
  CHECK(finding({}, "3").verdict == Verdict::not_measured);
}

TEST_CASE("findings 4 and 5: the zoo on a GPU, judged only where one really ran", "[paper]") {
  auto zoo_run = [](const std::string& vulkan_type, const std::string& renderer, double webgl_ms) {
    return run_of({
        model_configuration("native-cpu", "mobilenet-v2", {{"infer", {40}}}),
        model_configuration("native-vulkan", "mobilenet-v2",
                            {{"infer", {2}, "", {{"device_type", vulkan_type}, {"device", "Some GPU"}}}}),
        model_configuration("tfjs-webgl", "mobilenet-v2", {{"infer", {webgl_ms}, "", {{"webgl_renderer", renderer}}}}),
    });
  };
  const auto standalone = zoo_run("discrete", "ANGLE (NVIDIA)", 3);
  CHECK(finding({standalone}, "4").verdict == Verdict::confirmed);
  CHECK(says(finding({standalone}, "4"), "On Some GPU, tfjs-webgl takes at most 2x"));
  CHECK(says(finding({standalone}, "4"), "mobilenet-v2 1.50x"));
  CHECK(finding({zoo_run("discrete", "ANGLE (NVIDIA)", 5)}, "4").verdict == Verdict::not_confirmed);
  const auto five_on_discrete = finding({standalone}, "5");
  CHECK(five_on_discrete.verdict == Verdict::not_measured);
  CHECK(says(five_on_discrete, "the GPU here is discrete, not integrated"));

  const auto integrated = zoo_run("integrated", "Mesa Intel(R) UHD Graphics 630", 30);
  CHECK(finding({integrated}, "5").verdict == Verdict::confirmed);
  CHECK(says(finding({integrated}, "5"), "tfjs-webgl / native-cpu: mobilenet-v2 0.750x (faster on 1 of 1 zoo models)"));
  CHECK(says(finding({integrated}, "4"), "not a standalone GPU"));

  const auto software = finding({zoo_run("cpu", "llvmpipe (LLVM 15.0.6, 256 bits)", 300)}, "4");
  CHECK(software.verdict == Verdict::not_measured);
  CHECK(says(software, "Not measurable here"));
  CHECK(says(software, "a software renderer on the CPU"));
  CHECK(says(software, "For the record, tfjs-webgl / native-vulkan: mobilenet-v2 150x"));
  const auto no_gpu = finding({run_of({model_configuration("native-cpu", "resnet50", {{"infer", {40}}})})}, "4");
  CHECK(says(no_gpu, "Not measurable here: native-vulkan did not run"));
}

TEST_CASE("addition A3: the paper's cases side by side", "[paper]") {
  std::vector<StoredConfiguration> configurations;
  for (int64_t depth : {1, 4})
    for (int64_t width : {64, 256}) {
      configurations.push_back(configuration("native-cpu", "paper-dnn", depth, width, {{"train", {1}}, {"infer", {1}}}));
      configurations.push_back(configuration("tfjs-cpu", "paper-dnn", depth, width,
                                             {{"train", {depth == 4 && width == 256 ? 40.0 : 10.0}}, {"infer", {3}}}));
    }
  configurations.push_back(configuration("native-cpu", "paper-cnn", 1, 8, {{"train", {1}}}));
  configurations.push_back(configuration("tfjs-cpu", "paper-cnn", 1, 8, {{"train", {4}}}));
  configurations.push_back(configuration("native-cpu", "paper-cnn", 2, 32, {{"train", {1}}}));
  configurations.push_back(configuration("tfjs-cpu", "paper-cnn", 2, 32, {{"train", {90}}}));
  const auto check = finding({run_of(configurations)}, "A3");
  CHECK(check.verdict == Verdict::confirmed);
  CHECK(says(check, "DNN training on tfjs-cpu, average 17.5x"));
  CHECK(says(check, "DNN inference on tfjs-cpu, average 3.00x"));
  CHECK(says(check, "DNN training at depth > 3 and width > 192 on tfjs-cpu, average 40.0x"));
  CHECK(says(check, "CNN on tfjs-cpu, range 4.00x to 90.0x"));
}

TEST_CASE("addition A3 is judged against native-cpu and against pytorch-cpu", "[paper]") {
  const StoredRun run = run_of({
      configuration("native-cpu", "paper-dnn", 1, 64, {{"train", {1}}}),
      configuration("pytorch-cpu", "paper-dnn", 1, 64, {{"train", {20}}}),
      configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"train", {10}}}),
  });
  const auto check = finding({run}, "A3");
  CHECK(check.verdict == Verdict::not_confirmed);
  CHECK(says(check, "Against native-cpu: TF.js is slower on 1 of 1"));
  CHECK(says(check, "Against pytorch-cpu: TF.js is slower on 0 of 1"));
  CHECK(says(check, "tfjs-cpu takes 0.500x pytorch-cpu's time"));
}

TEST_CASE("finding 7 is never judged; its evidence shows TF.js's gap to ConvNetJS narrowing", "[paper]") {
  const StoredRun run = run_of({
      configuration("convnetjs", "paper-dnn", 1, 64, {{"train", {1}}}),
      configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"train", {3}}}),
      configuration("convnetjs", "paper-dnn", 1, 256, {{"train", {10}}}),
      configuration("tfjs-cpu", "paper-dnn", 1, 256, {{"train", {20}}}),
  });
  const auto check = finding({run}, "7");
  CHECK(check.verdict == Verdict::not_measured);
  CHECK(says(check, "not recorded"));
  CHECK(says(check, "on 1 of 1 depths"));
  CHECK(says(check, "depth 1: 3.00x at width 64, 2.00x at width 256"));
}

TEST_CASE("finding 8: cores kept busy, browser against native", "[paper]") {
  auto run_with = [](std::vector<Phase> browser_phases, const std::string& native_threads) {
    return run_of({
        configuration("native-cpu", "paper-dnn", 1, 64,
                      {{"cpu_utilisation", {1.9}, "", {{"threads", native_threads}}}}),
        configuration("tfjs-wasm", "paper-dnn", 1, 64, std::move(browser_phases)),
    });
  };
  const auto missing = finding({run_with({{"train", {5}}}, "2")}, "8");
  CHECK(missing.verdict == Verdict::not_measured);
  CHECK(says(missing, "no cpu_utilisation records yet (native-cpu: median 1.90 cores)"));

  const auto measured = finding({run_with({{"cpu_utilisation", {1.0}}}, "2")}, "8");
  CHECK(measured.verdict == Verdict::confirmed);
  CHECK(says(measured, "native-cpu 1.90 cores vs tfjs-wasm 1.00 cores"));

  const auto one_thread = finding({run_with({{"cpu_utilisation", {1.0}}}, "1")}, "8");
  CHECK(one_thread.verdict == Verdict::not_measured);
  CHECK(says(one_thread, "1 thread"));
  CHECK(says(one_thread, "no tfjs-webgl run failed for lack of memory"));

  StoredConfiguration oom = model_configuration("tfjs-webgl", "resnet50", {});
  oom.status = ConfigurationStatus::failed;
  oom.failure_reason = "error";
  oom.failure_message = "Failed to create texture: GL_OUT_OF_MEMORY";
  StoredRun with_oom = run_with({{"cpu_utilisation", {1.0}}}, "2");
  with_oom.configurations.push_back(oom);
  CHECK(says(finding({with_oom}, "8"), "tfjs-webgl failed for lack of memory on resnet50 (Failed to create texture"));
}

TEST_CASE("a sample that is not a finite number is refused, naming where it is", "[paper]") {
  const StoredRun run = run_of(
      {configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"train", {1, std::numeric_limits<double>::quiet_NaN()}}})});
  CHECK_THROWS_WITH(check_paper_findings({run}), Catch::Contains("run 'run-1'") && Catch::Contains("tfjs-cpu, train") &&
                                                     Catch::Contains("sample 1"));
}
