// `gapscope run` end to end, and the output files of `run` and `report`: the
// real executable, its gapscope-native child and the embedded browser,
// offscreen (no display) as on a headless machine.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <filesystem>
#include <set>

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include "core/io/model_file.h"
#include "core/store/results_store.h"

namespace gapscope::test {
namespace {

struct Result {
  int exit_code;
  std::string out, err;
};

// gapscope COMMAND ARGS...
Result run_gapscope_command(const QStringList& command_and_args, bool with_display = false) {
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  if (!with_display) {
    env.remove("DISPLAY");
    env.remove("QT_QPA_PLATFORM");
  }
  process.setProcessEnvironment(env);
  process.start(GAPSCOPE_EXE, command_and_args);
  REQUIRE(process.waitForFinished(600000));
  return {process.exitCode(), process.readAllStandardOutput().toStdString(),
          process.readAllStandardError().toStdString()};
}

Result run_gapscope(const QStringList& args, bool with_display = false) {
  return run_gapscope_command(QStringList{"run"} + args, with_display);
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  size_t start = 0, end;
  while ((end = text.find('\n', start)) != std::string::npos) {
    lines.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

const QStringList kQuick = {"--preset", "paper-dnn", "--depth", "1", "--width", "32", "--runs-scale", "0.05",
                            "--batch", "16"};

}  // namespace

TEST_CASE("gapscope run prints every backend side by side with ratios to native-cpu", "[cli]") {
  const Result r = run_gapscope(kQuick + QStringList{"--backends", "native-cpu,tfjs-cpu,tfjs-wasm,tfjs-webgl,convnetjs,brainjs,synaptic"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);  // webgl offscreen is "unavailable", brain.js "unsupported": not failures
  for (const char* backend : {"native-cpu", "tfjs-cpu", "tfjs-wasm", "tfjs-webgl", "convnetjs", "brainjs", "synaptic"})
    CHECK_THAT(r.out, Catch::Contains(std::string("\n") + backend + " "));
  CHECK_THAT(r.out, Catch::Contains("train/batch"));
  CHECK_THAT(r.out, Catch::Contains("x)"));  // ratios
  CHECK_THAT(r.out, Catch::Contains("tfjs-webgl  unavailable: "));
  CHECK_THAT(r.out, Catch::Contains("brainjs     unsupported: "));
  CHECK_THAT(r.out, Catch::Contains("TF.js 4.22.0 wasm: SIMD on"));
}

TEST_CASE("gapscope run --json and --out write the run, every record and failure records", "[cli]") {
  QTemporaryDir dir;
  const QString out = dir.filePath("run.jsonl");
  const QString db = dir.filePath("history.sqlite");
  const Result r = run_gapscope(kQuick + QStringList{"--backends", "native-cpu,tfjs-wasm,brainjs", "--json", "--out", out,
                                                     "--db", db});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() > 3);
  CHECK(lines.front()["kind"] == "run");
  CHECK(lines.front()["software"]["qtwebengine"].get<std::string>().find("Chromium") != std::string::npos);
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& line : lines)
    if (line["kind"] == "measurement") seen.insert({line["backend"].get<std::string>(), line["phase"].get<std::string>()});
  for (const char* backend : {"native-cpu", "tfjs-wasm"})
    for (const char* phase : {"load", "warmup", "infer", "train", "memory"}) CHECK(seen.count({backend, phase}));
  const auto failure = std::find_if(lines.begin(), lines.end(), [](const auto& l) { return l["kind"] == "failure"; });
  REQUIRE(failure != lines.end());
  CHECK((*failure)["backend"] == "brainjs");
  CHECK((*failure)["reason"] == "unsupported");

  QFile file(out);
  REQUIRE(file.open(QIODevice::ReadOnly));
  CHECK(json_lines(file.readAll().toStdString()).size() == lines.size());

  // The run is in the run history too: one configuration per backend, the failure named.
  const auto runs = ResultsStore::open(db.toStdString()).list_runs();
  REQUIRE(runs.size() == 1);
  CHECK(runs.front().id == lines.front()["run_id"]);
  CHECK(runs.front().kind == "run");
  CHECK(runs.front().done == 2);
  CHECK(runs.front().failed == 1);
  const StoredRun stored = ResultsStore::open(db.toStdString()).load_run(runs.front().id);
  CHECK(stored.configurations.at(2).failure_reason.value_or("") == "unsupported");
  CHECK(stored.configurations.at(0).measurements.size() >= 5);
}

TEST_CASE("gapscope run checks --out before measuring or recording anything", "[cli][output]") {
  QTemporaryDir dir;
  const QString db = dir.filePath("history.sqlite");
  const QString missing = dir.filePath("nodir/x/run.jsonl");
  const Result r = run_gapscope(kQuick + QStringList{"--backends", "native-cpu", "--out", missing, "--db", db});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot write " + missing.toStdString() + ": the folder " +
                                    dir.filePath("nodir/x").toStdString() + " does not exist"));
  CHECK_THAT(r.err, !Catch::Contains("running"));
  CHECK_FALSE(QFile::exists(db));  // no run was recorded

  const QString fifo = dir.filePath("fifo");
  REQUIRE(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
  const Result to_fifo = run_gapscope(kQuick + QStringList{"--backends", "native-cpu", "--out", fifo, "--db", db});
  CHECK(to_fifo.exit_code == 1);
  CHECK_THAT(to_fifo.err, Catch::Contains("cannot write " + fifo.toStdString() + ": it is a FIFO (named pipe)"));
  CHECK(std::filesystem::status(fifo.toStdString()).type() == std::filesystem::file_type::fifo);
}

TEST_CASE("gapscope report never replaces a FIFO or a device and checks every target first", "[cli][output]") {
  QTemporaryDir dir;
  const QString db = dir.filePath("history.sqlite");
  const Result run = run_gapscope(kQuick + QStringList{"--backends", "native-cpu", "--phases", "infer", "--json",
                                                       "--db", db});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const QString run_id = QString::fromStdString(json_lines(run.out).front()["run_id"].get<std::string>());
  auto report = [&](const QStringList& targets) {
    return run_gapscope_command(QStringList{"report", run_id, "--db", db} + targets);
  };

  const QString fifo = dir.filePath("fifo");
  REQUIRE(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
  const Result to_fifo = report({"--csv", fifo});
  CHECK(to_fifo.exit_code == 1);
  CHECK_THAT(to_fifo.err, Catch::Contains("cannot write " + fifo.toStdString() + ": it is a FIFO (named pipe)"));
  CHECK(std::filesystem::status(fifo.toStdString()).type() == std::filesystem::file_type::fifo);

  // The HTML could be written, the CSV could not: nothing is written.
  const QString html = dir.filePath("report.html"), missing = dir.filePath("nodir/records.csv");
  const Result half = report({"--html", html, "--csv", missing});
  CHECK(half.exit_code == 1);
  CHECK_THAT(half.err, Catch::Contains("cannot write " + missing.toStdString() + ": the folder "));
  CHECK_FALSE(QFile::exists(html));

  // A device node of our own (/dev/null's numbers), never a real one.
  const QString device = dir.filePath("null");
  if (::mknod(device.toLocal8Bit().constData(), S_IFCHR | 0600, ::makedev(1, 3)) == 0) {
    const Result to_device = report({"--json", device});
    CHECK(to_device.exit_code == 1);
    CHECK_THAT(to_device.err, Catch::Contains("cannot write " + device.toStdString() + ": it is a character device"));
    CHECK(std::filesystem::status(device.toStdString()).type() == std::filesystem::file_type::character);
  } else {
    WARN("cannot mknod here (not root?): the character device case is skipped");
  }
  const Result csv = report({"--csv", dir.filePath("records.csv")});
  CHECK(csv.exit_code == 0);
  CHECK(QFile::exists(dir.filePath("records.csv")));
}

TEST_CASE("gapscope run measures native-vulkan beside native-cpu, or calls it unavailable", "[cli]") {
  const Result r = run_gapscope(kQuick + QStringList{"--backends", "native-cpu,native-vulkan", "--json"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  std::set<std::string> phases;
  for (const auto& line : json_lines(r.out))
    if (line["kind"] == "measurement" && line["backend"] == "native-vulkan") {
      phases.insert(line["phase"].get<std::string>());
      CHECK(line["config"]["threads"] == 1);
      CHECK_FALSE(line["capabilities"]["device"].get<std::string>().empty());
    }
  for (const char* phase : {"load", "warmup", "infer", "train"}) CHECK(phases.count(phase));
  // Without a driver: a failure record saying unavailable, and native-cpu still runs.
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("DISPLAY");
  env.insert("VK_ICD_FILENAMES", "/nonexistent.json");
  env.insert("VK_DRIVER_FILES", "/nonexistent.json");
  process.setProcessEnvironment(env);
  process.start(GAPSCOPE_EXE, QStringList{"run"} + kQuick + QStringList{"--backends", "native-cpu,native-vulkan", "--json"});
  REQUIRE(process.waitForFinished(600000));
  const auto lines = json_lines(process.readAllStandardOutput().toStdString());
  bool unavailable = false, cpu_trained = false;
  for (const auto& line : lines) {
    if (line["kind"] == "failure" && line["backend"] == "native-vulkan") unavailable = line["reason"] == "unavailable";
    if (line["kind"] == "measurement" && line["backend"] == "native-cpu" && line["phase"] == "train") cpu_trained = true;
  }
  CHECK(unavailable);
  CHECK(cpu_trained);
  CHECK(process.exitCode() == 0);
}

TEST_CASE("gapscope run under a display runs tfjs-webgl", "[cli][webgl]") {
  if (qEnvironmentVariable("DISPLAY").isEmpty()) {
    if (qEnvironmentVariable("GAPSCOPE_REQUIRE_WEBGL") == "1") FAIL("no DISPLAY (run under xvfb-run)");
    WARN("no display: skipped");
    return;
  }
  const Result r = run_gapscope(kQuick + QStringList{"--backends", "tfjs-webgl"}, true);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("TF.js 4.22.0 webgl: WebGL 2"));
}

TEST_CASE("gapscope --version names Qt, QtWebEngine/Chromium, Eigen, the Vulkan loader and TF.js", "[cli]") {
  QProcess process;
  process.start(GAPSCOPE_EXE, {"--version"});
  REQUIRE(process.waitForFinished(60000));
  CHECK(process.exitCode() == 0);
  const std::string out = process.readAllStandardOutput().toStdString();
  for (const char* part : {"gapscope 0.", "(git ", "Qt 6.", "Chromium ", "Eigen 3.", "Vulkan loader 1.", "TF.js 4.22.0"})
    CHECK_THAT(out, Catch::Contains(part));
}

TEST_CASE("gapscope run rejects unknown backends and bad flags with exit code 2", "[cli]") {
  CHECK(run_gapscope({"--backends", "tfjs-quantum"}).exit_code == 2);
  CHECK(run_gapscope({"--runs-scale", "0"}).exit_code == 2);
  const Result help = run_gapscope({"--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("--backends LIST"));
}

}  // namespace gapscope::test
