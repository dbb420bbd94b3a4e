// Issue 17 through the real `gapscope`: JSON nested 100,000 deep in a model
// spec or in the run history's JSON columns overflowed the stack (the Qt app
// itself crashed); now each is refused by name with exit code 3.
#include <catch2/catch.hpp>

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "core/measure/measurement.h"
#include "core/store/results_store.h"
#include "tests/core/store/one_run_store.h"

namespace gapscope::test {
namespace {

struct Result {
  int exit_code;
  std::string out, err;
};

Result run_gapscope(const QStringList& args) {
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("DISPLAY");
  env.remove("QT_QPA_PLATFORM");
  process.setProcessEnvironment(env);
  process.start(GAPSCOPE_EXE, args);
  REQUIRE(process.waitForFinished(600000));
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          process.readAllStandardOutput().toStdString(), process.readAllStandardError().toStdString()};
}

std::string nested(int depth, const std::string& inner = "") {
  return std::string(static_cast<size_t>(depth), '[') + inner + std::string(static_cast<size_t>(depth), ']');
}

// A run history with run "r1": one configuration with one measurement.
QString store_with_one_run(const QTemporaryDir& dir, const QString& name) {
  const QString path = dir.filePath(name);
  write_one_run_store(path.toStdString(), "run", true);
  return path;
}

// Sets `column` of every row of `table` to its JSON object with "x": value
// added (as an editor, or another program, could).
void add_member(const QString& db, const char* table, const char* column, const std::string& value) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.toUtf8().constData(), &handle) == SQLITE_OK);
  const std::string sql =
      std::string("UPDATE ") + table + " SET " + column + " = '{\"x\": " + value + ", ' || substr(" + column + ", 2)";
  char* error = nullptr;
  const int rc = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error);
  INFO((error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(handle);
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("gapscope run --model with JSON nested 100,000 deep is refused by name", "[cli]") {
  QTemporaryDir dir;
  const QString spec = dir.filePath("spec.json");
  {
    QFile file(spec);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(
        QByteArray::fromStdString(R"({"format": "gapscope.model/1", "name": )" + nested(100'000) +
                                  R"(, "input": {"shape": [784]}, "layers": [{"type": "dense", "units": 10}]})"));
  }
  const Result r = run_gapscope({"run", "--model", spec, "--backends", "native-cpu", "--db", dir.filePath("h.sqlite")});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains(spec.toStdString() + ": JSON nested deeper than 512 levels at line 1, column"));
}

TEST_CASE("history and report refuse a run history whose JSON is nested 100,000 deep, by name", "[sweep-cli]") {
  QTemporaryDir dir;
  const QString out = dir.filePath("r.jsonl"), html = dir.filePath("r.html");
  const std::vector<QStringList> list = {{"history"}, {"history", "list", "--json"}};
  const std::vector<QStringList> show = {{"history", "show", "r1", "--json"},
                                         {"report", "r1", "--json", out, "--html", html}};
  struct Column {
    const char* table;
    const char* column;
    const std::vector<QStringList>* commands;  // those that read it
  };
  int n = 0;
  for (const Column& c : {Column{"runs", "record", &list}, Column{"runs", "record", &show},
                          Column{"configurations", "config", &show}, Column{"measurements", "record", &show}}) {
    const QString db = store_with_one_run(dir, QString("%1-%2-%3.sqlite").arg(c.table, c.column).arg(++n));
    add_member(db, c.table, c.column, nested(100'000));
    for (const QStringList& command : *c.commands) {
      INFO(c.table << "." << c.column << ": " << command.join(" ").toStdString());
      const Result r = run_gapscope(command + QStringList{"--db", db});
      CHECK(r.exit_code == 3);
      CHECK_THAT(r.err, Catch::Contains(db.toStdString()) && Catch::Contains("JSON nested deeper than 512 levels"));
    }
  }

  // Just under the limit, everything still reads and prints it.
  const QString db = store_with_one_run(dir, "deep-but-allowed.sqlite");
  add_member(db, "runs", "record", nested(500, "1"));
  const Result listed = run_gapscope({"history", "list", "--json", "--db", db});
  INFO(listed.err);
  REQUIRE(listed.exit_code == 0);
  CHECK(nlohmann::json::parse(listed.out)["metadata"]["x"].dump() == nested(500, "1"));
  const Result shown = run_gapscope({"history", "show", "r1", "--json", "--db", db});
  INFO(shown.err);
  CHECK(shown.exit_code == 0);
}

}  // namespace gapscope::test
