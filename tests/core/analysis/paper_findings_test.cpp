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

FindingCheck finding(const std::vector<StoredRun>& runs, int number) {
  const auto checks = check_paper_findings(runs);
  REQUIRE(checks.size() == 8);
  return checks.at(static_cast<size_t>(number - 1));
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

TEST_CASE("the paper's reference data: eight findings, the three gap grids", "[paper]") {
  const auto& findings = paper_findings();
  REQUIRE(findings.size() == 8);
  std::set<int> numbers;
  for (const PaperFinding& f : findings) {
    numbers.insert(f.number);
    CHECK_FALSE(f.area.empty());
    CHECK_FALSE(f.statement.empty());
  }
  CHECK(numbers == std::set<int>{1, 2, 3, 4, 5, 6, 7, 8});
  CHECK(paper_finding(7).area == "call stacks");
  CHECK_THROWS_AS(paper_finding(9), std::invalid_argument);

  std::set<std::string> models;
  for (const PaperGrid& grid : paper_gap_grids()) {
    models.insert(grid.model);
    CHECK_FALSE(grid.depths.empty());
    CHECK_FALSE(grid.widths.empty());
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
}

TEST_CASE("no runs: every finding is not measured and says what is missing", "[paper]") {
  const auto checks = check_paper_findings({});
  REQUIRE(checks.size() == 8);
  for (size_t i = 0; i < checks.size(); ++i) {
    CHECK(checks[i].finding.number == static_cast<int>(i + 1));
    CHECK(checks[i].verdict == Verdict::not_measured);
    CHECK_FALSE(checks[i].evidence.empty());
  }
  CHECK(std::string(to_string(Verdict::confirmed)) == "confirmed");
  CHECK(std::string(to_string(Verdict::not_confirmed)) == "not_confirmed");
  CHECK(std::string(to_string(Verdict::not_measured)) == "not_measured");
}

TEST_CASE("finding 2: ConvNetJS fastest on small DNNs, judged per configuration", "[paper]") {
  SECTION("holds everywhere") {
    const auto check = finding({small_dnn_run({{"convnetjs", 1}, {"tfjs-cpu", 5}, {"brainjs", 3}})}, 2);
    CHECK(check.verdict == Verdict::confirmed);
    CHECK(says(check, "on 8 of 8"));
    CHECK(says(check, "paper-dnn 1x64 train: convnetjs 1.00 ms vs brainjs 3.00 ms"));
  }
  SECTION("does not hold") {
    const auto check = finding({small_dnn_run({{"convnetjs", 4}, {"tfjs-cpu", 2}})}, 2);
    CHECK(check.verdict == Verdict::not_confirmed);
    CHECK(says(check, "on 0 of 8"));
    CHECK(says(check, "not so at paper-dnn 1x64 train: convnetjs 4.00 ms vs tfjs-cpu 2.00 ms"));
  }
  SECTION("tfjs-wasm is reported, not judged") {
    const auto check = finding({small_dnn_run({{"convnetjs", 1}, {"tfjs-cpu", 5}, {"tfjs-wasm", 0.5}})}, 2);
    CHECK(check.verdict == Verdict::confirmed);
    CHECK(says(check, "tfjs-wasm, which the paper did not have, is slower than convnetjs on 0 of 8."));
  }
  SECTION("convnetjs not run") {
    const auto check = finding({small_dnn_run({{"tfjs-cpu", 5}})}, 2);
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
  const auto check = finding({run}, 2);
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
  const auto three = finding({gap_run(3)}, 6);
  CHECK(three.verdict == Verdict::confirmed);
  CHECK(says(three, "on 3 of 4"));
  CHECK(says(three, "tfjs-cpu takes 10.0x native-cpu's time"));
  CHECK(finding({gap_run(2)}, 6).verdict == Verdict::not_confirmed);
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
    const auto check = finding({run_of(configurations)}, 1);
    CHECK(check.verdict == Verdict::confirmed);
    CHECK(says(check, "convnetjs cannot build paper-rnn"));
    CHECK(says(check, "brainjs cannot build paper-cnn"));
    CHECK(says(check, "synaptic not run"));
    CHECK(says(check, "holds for 2 of 2"));
  }
  SECTION("one that builds everything counts against it") {
    for (const char* preset : {"paper-dnn", "paper-cnn", "paper-rnn"})
      configurations.push_back(configuration("synaptic", preset, 1, 8, {{"train", {1}}}));
    const auto check = finding({run_of(configurations)}, 1);
    CHECK(check.verdict == Verdict::not_confirmed);
    CHECK(says(check, "synaptic built all of them too"));
  }
  SECTION("a family one TF.js backend cannot build but another can still counts as built by TF.js") {
    configurations.push_back(unsupported("tfjs-wasm", "paper-cnn"));
    const auto check = finding({run_of(configurations)}, 1);
    CHECK(check.verdict == Verdict::confirmed);
    CHECK(says(check, "some TF.js backends could not build paper-cnn, others did"));
  }
  SECTION("a family no TF.js backend builds refutes it") {
    configurations.push_back(unsupported("tfjs-wasm", "paper-lstm"));
    configurations.push_back(configuration("convnetjs", "paper-lstm", 1, 8, {{"train", {1}}}));
    const auto check = finding({run_of(configurations)}, 1);
    CHECK(check.verdict == Verdict::not_confirmed);
    CHECK(says(check, "TF.js itself could not build paper-lstm"));
  }
  SECTION("only one family tried") {
    const auto check = finding({small_dnn_run({{"convnetjs", 1}, {"tfjs-cpu", 5}})}, 1);
    CHECK(check.verdict == Verdict::not_measured);
    CHECK(says(check, "TF.js built only paper-dnn"));
  }
}

TEST_CASE("finding 3: WebGL against the CPU backend, only on a real GPU", "[paper]") {
  auto run_with = [](const std::string& renderer) {
    return run_of({
        configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"train", {20}}}),
        configuration("tfjs-webgl", "paper-dnn", 1, 64, {{"train", {4}, "", {{"webgl_renderer", renderer}}}}),
    });
  };
  const auto gpu = finding({run_with("NVIDIA H100/PCIe/SSE2")}, 3);
  CHECK(gpu.verdict == Verdict::confirmed);
  CHECK(says(gpu, "tfjs-webgl 4.00 ms vs tfjs-cpu 20.0 ms"));
  const auto software = finding({run_with("llvmpipe (LLVM 15.0.6, 256 bits)")}, 3);
  CHECK(software.verdict == Verdict::not_measured);
  CHECK(says(software, "software renderer, not a GPU (llvmpipe"));
}

TEST_CASE("finding 4: binary TF.js files against JSON, and load times", "[paper]") {
  auto run_with = [](double tfjs_bytes, double json_bytes) {
    return run_of({
        configuration("native-cpu", "paper-dnn", 1, 64,
                      {{"file_size", {json_bytes}, "json"},
                       {"file_size", {tfjs_bytes}, "tfjs"},
                       {"file_size", {tfjs_bytes}, "native"}}),
        configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"load", {3}}}),
        configuration("convnetjs", "paper-dnn", 1, 64, {{"load", {6}}}),
    });
  };
  const auto smaller = finding({run_with(200 * 1024, 900 * 1024)}, 4);
  CHECK(smaller.verdict == Verdict::confirmed);
  CHECK(says(smaller, "200 KiB vs 900 KiB"));
  CHECK(says(smaller, "tfjs-cpu 3.00 ms vs convnetjs 6.00 ms"));
  CHECK(finding({run_with(900 * 1024, 200 * 1024)}, 4).verdict == Verdict::not_confirmed);
  CHECK(finding({small_dnn_run({{"tfjs-cpu", 1}})}, 4).verdict == Verdict::not_measured);
}

TEST_CASE("finding 5: warm-up far slower than steady inference, most on WebGL", "[paper]") {
  const StoredRun run = run_of({
      configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"warmup", {3}}, {"infer", {1}}}),
      configuration("tfjs-webgl", "paper-dnn", 1, 64, {{"warmup", {500}}, {"infer", {2}}}),
  });
  const auto check = finding({run}, 5);
  CHECK(check.verdict == Verdict::confirmed);
  CHECK(says(check, "tfjs-webgl 250x"));
  CHECK(says(check, "tfjs-webgl's ratio is the largest on 1 of 1"));

  const StoredRun flat = run_of({configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"warmup", {1.2}}, {"infer", {1}}})});
  CHECK(finding({flat}, 5).verdict == Verdict::not_confirmed);
}

TEST_CASE("finding 7 is never judged; its evidence shows the narrowing gap", "[paper]") {
  const StoredRun run = run_of({
      configuration("native-cpu", "paper-dnn", 1, 64, {{"train", {1}}}),
      configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"train", {20}}}),
      configuration("native-cpu", "paper-dnn", 1, 512, {{"train", {10}}}),
      configuration("tfjs-cpu", "paper-dnn", 1, 512, {{"train", {40}}}),
  });
  const auto check = finding({run}, 7);
  CHECK(check.verdict == Verdict::not_measured);
  CHECK(says(check, "not recorded"));
  CHECK(says(check, "on 1 of 1 series"));
  CHECK(says(check, "20.0x at width 64, 4.00x at width 512"));
}

TEST_CASE("finding 8: cores kept busy, browser against native", "[paper]") {
  auto run_with = [](std::vector<Phase> browser_phases, const std::string& native_threads) {
    return run_of({
        configuration("native-cpu", "paper-dnn", 1, 64,
                      {{"cpu_utilisation", {1.9}, "", {{"threads", native_threads}}}}),
        configuration("tfjs-wasm", "paper-dnn", 1, 64, std::move(browser_phases)),
    });
  };
  const auto missing = finding({run_with({{"train", {5}}}, "2")}, 8);
  CHECK(missing.verdict == Verdict::not_measured);
  CHECK(says(missing, "no cpu_utilisation records yet (native-cpu: median 1.90 cores)"));

  const auto measured = finding({run_with({{"cpu_utilisation", {1.0}}}, "2")}, 8);
  CHECK(measured.verdict == Verdict::confirmed);
  CHECK(says(measured, "native-cpu 1.90 cores vs tfjs-wasm 1.00 cores"));

  const auto one_thread = finding({run_with({{"cpu_utilisation", {1.0}}}, "1")}, 8);
  CHECK(one_thread.verdict == Verdict::not_measured);
  CHECK(says(one_thread, "1 thread"));
}

TEST_CASE("a sample that is not a finite number is refused, naming where it is", "[paper]") {
  const StoredRun run = run_of(
      {configuration("tfjs-cpu", "paper-dnn", 1, 64, {{"train", {1, std::numeric_limits<double>::quiet_NaN()}}})});
  CHECK_THROWS_WITH(check_paper_findings({run}), Catch::Contains("run 'run-1'") && Catch::Contains("tfjs-cpu, train") &&
                                                     Catch::Contains("sample 1"));
}
