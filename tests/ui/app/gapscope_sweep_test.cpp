// `gapscope sweep`, `history` and `report` end to end: the real executable,
// its gapscope-native children and the embedded browser (offscreen), a real
// SQLite run history, a real SIGKILL in the middle of a sweep.
#include <catch2/catch.hpp>

#include <signal.h>

#include <map>
#include <set>
#include <thread>

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <sqlite3.h>

#include "core/store/results_store.h"
#include "tests/ui/app/gapscope_cli_support.h"

namespace gapscope::test {
namespace {

using Result = CliResult;

// 2x2 grid, native-cpu + tfjs-wasm: 8 items in one round.
QStringList tiny_sweep(const QString& db, const QString& runs_scale = "0.05") {
  return {"sweep", "--model", "paper-dnn", "--depths", "1,2", "--widths", "8,16", "--backends", "native-cpu,tfjs-wasm",
          "--rounds", "1", "--runs-scale", runs_scale, "--batch", "16", "--db", db, "--quiet"};
}

std::string only_run_id(const QString& db) {
  const auto runs = ResultsStore::open(db.toStdString()).list_runs();
  REQUIRE(runs.size() == 1);
  return runs.front().id;
}

std::string read_file(const QString& path) {
  QFile file(path);
  REQUIRE(file.open(QIODevice::ReadOnly));
  return file.readAll().toStdString();
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("a tiny sweep lands in the run history and reports as HTML, PDF, CSV and JSON", "[sweep-cli]") {
  QTemporaryDir dir;
  const QString db = dir.filePath("history.sqlite");
  const Result sweep = run_gapscope(tiny_sweep(db));
  INFO(sweep.out << sweep.err);
  REQUIRE(sweep.exit_code == 0);
  CHECK_THAT(sweep.out, Catch::Contains("8 of 8 items done, 0 failed"));

  const std::string run_id = only_run_id(db);
  const StoredRun run = ResultsStore::open(db.toStdString()).load_run(run_id);
  CHECK(run.summary.kind == "sweep");
  CHECK(run.summary.facts.qtwebengine_version.has_value());
  CHECK(run.summary.facts.tfjs_version.value_or("") == "4.22.0");
  CHECK(run.summary.facts.seed.value_or(-1) == 1);
  REQUIRE(run.configurations.size() == 8);
  std::set<std::tuple<int64_t, int64_t, std::string>> points;
  for (const StoredConfiguration& c : run.configurations) {
    CHECK(c.status == ConfigurationStatus::done);
    points.insert({c.depth.value_or(0), c.width.value_or(0), c.plan.backend});
    std::set<std::string> phases;
    for (const Measurement& m : c.measurements) phases.insert(m.phase);
    for (const char* phase : {"load", "warmup", "infer", "train", "file_size"}) CHECK(phases.count(phase));
  }
  CHECK(points.size() == 8);

  const Result show = run_gapscope({"history", "show", QString::fromStdString(run_id), "--db", db});
  INFO(show.err);
  CHECK(show.exit_code == 0);
  CHECK_THAT(show.out, Catch::Contains("tfjs-wasm"));
  CHECK_THAT(show.out, Catch::Contains("decision tree"));

  const QString html = dir.filePath("r.html"), pdf = dir.filePath("r.pdf"), csv = dir.filePath("r.csv"),
                json = dir.filePath("r.jsonl");
  const Result report = run_gapscope({"report", QString::fromStdString(run_id), "--db", db, "--html", html, "--pdf", pdf,
                                      "--csv", csv, "--json", json});
  INFO(report.out << report.err);
  REQUIRE(report.exit_code == 0);

  // The HTML is well-formed (XHTML) and self-contained, with every chart and table.
  const std::string page = read_file(html);
  QXmlStreamReader xml(QString::fromStdString(page.substr(page.find("<html"))));
  int svgs = 0, tables = 0;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == QLatin1String("svg")) ++svgs;
    if (xml.isStartElement() && xml.name() == QLatin1String("table")) ++tables;
  }
  INFO(xml.errorString().toStdString());
  CHECK_FALSE(xml.hasError());
  // load, warmup, infer, train, file_size, memory, cpu_utilisation; ratio heatmaps (infer, train); the tree.
  CHECK(svgs >= 10);
  CHECK(tables >= 8);
  CHECK(page.find("<script") == std::string::npos);
  // Nothing loaded from elsewhere (the SVG namespace is a name, not a load).
  for (const char* outside : {"src=\"http", "href=\"http", "url(http", "@import"})
    CHECK(page.find(outside) == std::string::npos);
  for (const char* text : {"tfjs-wasm", "native-cpu", "Machine", "Method", "median", "4.22.0"})
    CHECK_THAT(page, Catch::Contains(text));

  const std::string pdf_bytes = read_file(pdf);
  CHECK(pdf_bytes.rfind("%PDF-", 0) == 0);
  CHECK(pdf_bytes.find("%%EOF", pdf_bytes.size() - 32) != std::string::npos);
  const size_t pages = count(pdf_bytes, "/Type /Page") - count(pdf_bytes, "/Type /Pages");
  CHECK(pages >= 3);
  CHECK(pages <= 40);

  const std::string rows = read_file(csv);
  CHECK(rows.rfind("run_id,", 0) == 0);
  CHECK(count(rows, "\n") > 8 * 5);
  const std::string lines = read_file(json);
  size_t measurements = 0;
  for (size_t start = 0, end; (end = lines.find('\n', start)) != std::string::npos; start = end + 1)
    if (nlohmann::json::parse(lines.substr(start, end - start)).value("kind", "") == "measurement") ++measurements;
  CHECK(measurements >= 8 * 5);
}

TEST_CASE("a sweep killed with SIGKILL resumes without duplicates and without losing finished items", "[sweep-cli]") {
  QTemporaryDir dir;
  const QString db = dir.filePath("history.sqlite");
  QProcess process;
  process.setProcessEnvironment(headless_environment());
  // More runs per item, so the sweep is still going when it is killed.
  process.start(GAPSCOPE_EXE, tiny_sweep(db, "3"));
  REQUIRE(process.waitForStarted());

  // Wait until some items are committed, then kill it mid-sweep.
  std::string run_id;
  std::map<int64_t, std::vector<double>> finished_before;  // index -> its train samples
  for (int tries = 0; tries < 1200 && finished_before.size() < 3; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE(process.state() == QProcess::Running);
    if (!QFile::exists(db)) continue;
    auto store = ResultsStore::open(db.toStdString());
    const auto runs = store.list_runs();
    if (runs.empty()) continue;
    run_id = runs.front().id;
    finished_before.clear();
    for (const StoredConfiguration& c : store.load_run(run_id).configurations)
      if (c.status == ConfigurationStatus::done)
        for (const Measurement& m : c.measurements)
          if (m.phase == "train") finished_before[c.plan.index] = m.samples;
  }
  REQUIRE(finished_before.size() >= 3);
  ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
  process.waitForFinished();
  {
    const StoredRun killed = ResultsStore::open(db.toStdString()).load_run(run_id);
    int64_t done = 0;
    for (const auto& c : killed.configurations) done += c.status == ConfigurationStatus::done;
    CHECK(done < 8);  // really killed mid-way
  }

  const Result resumed = run_gapscope({"sweep", "--resume", QString::fromStdString(run_id), "--db", db, "--quiet"});
  INFO(resumed.out << resumed.err);
  REQUIRE(resumed.exit_code == 0);
  const auto store = ResultsStore::open(db.toStdString());
  CHECK(store.integrity_check() == "ok");
  CHECK(store.list_runs().size() == 1);
  const StoredRun run = store.load_run(run_id);
  REQUIRE(run.configurations.size() == 8);
  std::set<int64_t> indexes;
  for (const StoredConfiguration& c : run.configurations) {
    indexes.insert(c.plan.index);
    CHECK(c.status == ConfigurationStatus::done);
    std::multiset<std::string> phases;
    for (const Measurement& m : c.measurements) phases.insert(m.phase + "/" + m.format);
    for (const auto& phase : phases) CHECK(phases.count(phase) == 1);
    // What was finished before the kill was kept, not measured again.
    auto before = finished_before.find(c.plan.index);
    if (before != finished_before.end())
      for (const Measurement& m : c.measurements)
        if (m.phase == "train") CHECK(m.samples == before->second);
  }
  CHECK(indexes.size() == 8);
}

TEST_CASE("a corrupt or newer run history is refused by name and left as it was", "[sweep-cli]") {
  QTemporaryDir dir;
  const QString corrupt = dir.filePath("corrupt.sqlite");
  {
    QFile file(corrupt);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("SQLite format 3\0", 16) + QByteArray(4000, 'x'));
  }
  const std::string before = read_file(corrupt);
  const Result r = run_gapscope({"history", "--db", corrupt});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("corrupt.sqlite"));
  CHECK(read_file(corrupt) == before);

  const QString newer = dir.filePath("newer.sqlite");
  ResultsStore::open(newer.toStdString());
  {
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open(newer.toUtf8().constData(), &handle) == SQLITE_OK);
    CHECK(sqlite3_exec(handle, "PRAGMA user_version = 999", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(handle);
  }
  const std::string newer_before = read_file(newer);
  const Result n = run_gapscope(tiny_sweep(newer));
  CHECK(n.exit_code == 3);
  CHECK_THAT(n.err, Catch::Contains("newer"));
  CHECK(read_file(newer) == newer_before);
}

TEST_CASE("sweep, history and report explain bad arguments", "[sweep-cli]") {
  CHECK(run_gapscope({"sweep"}).exit_code == 2);
  CHECK(run_gapscope({"sweep", "--preset", "paper-fig9"}).exit_code == 3);
  CHECK(run_gapscope({"history", "frobnicate"}).exit_code == 2);
  QTemporaryDir dir;
  ResultsStore::open(dir.filePath("h.sqlite").toStdString());
  const Result missing = run_gapscope({"history", "show", "no-such-run", "--db", dir.filePath("h.sqlite")});
  CHECK(missing.exit_code == 3);
  CHECK_THAT(missing.err, Catch::Contains("no-such-run"));
  const Result help = run_gapscope({"sweep", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("--resume RUN_ID"));
}

}  // namespace gapscope::test
