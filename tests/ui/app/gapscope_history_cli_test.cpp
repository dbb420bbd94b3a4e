// `gapscope history`, `report` and `sweep` given hostile --db files and
// arguments (issue 17): a missing, empty, foreign, read-only or unreachable
// history is named and left as it was, filters that match nothing by mistake
// are usage errors, stray words are named, and stored text reaches the
// terminal escaped. No sweep item runs here: every refusal comes first.
#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include "core/store/results_store.h"
#include "tests/ui/app/gapscope_cli_support.h"

namespace gapscope::test {
namespace {

using Catch::Contains;

const std::string kEvilLabel = "\x1b]0;pwned\x07\x1b[2Jlabel\nforged row";

std::string read_file(const QString& path) {
  QFile file(path);
  REQUIRE(file.open(QIODevice::ReadOnly));
  return file.readAll().toStdString();
}

void write_file(const QString& path, const QByteArray& bytes) {
  QFile file(path);
  REQUIRE(file.open(QIODevice::WriteOnly));
  file.write(bytes);
}

// A history with one sweep whose label and failure message hold terminal escapes.
void write_history(const QString& db) {
  ResultsStore store = ResultsStore::open(db.toStdString());
  store.begin_run(run_metadata("evil-run"), "sweep", kEvilLabel);
  const int64_t item = store.add_configuration(
      "evil-run", {0, "paper-dnn-1x8", "native-cpu", {"infer"}, {{"preset", "paper-dnn"}, {"depth", 1}, {"width", 8}}});
  store.mark_failed(item, "crash", "the page said \x1b[31mred\x1b[0m");
}

// A tiny grid that would take a minute to run; every test here is refused before it starts.
QStringList tiny_sweep(const QString& db) {
  return {"sweep", "--model", "paper-dnn", "--depths", "1", "--widths", "8", "--backends", "native-cpu",
          "--rounds", "1", "--runs-scale", "0.05", "--db", db, "--quiet"};
}

}  // namespace

TEST_CASE("reading commands refuse a missing --db by name and create nothing", "[cli]") {
  QTemporaryDir dir;
  const QString typo = dir.filePath("typo/dir/h.sqlite"), missing = dir.filePath("missing.sqlite");
  for (const QStringList& args : {QStringList{"history"}, QStringList{"history", "show", "r"},
                                  QStringList{"history", "compare", "a", "b"}, QStringList{"history", "delete", "r"},
                                  QStringList{"report", "r"}})
    for (const QString& db : {typo, missing}) {
      const CliResult r = run_gapscope(args + QStringList{"--db", db});
      INFO(args.join(' ').toStdString() << ": " << r.err);
      CHECK(r.exit_code == 3);
      CHECK_THAT(r.err, Contains(db.toStdString() + " does not exist"));
    }
  CHECK(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
}

TEST_CASE("a sweep creates no folder a --db names, and refuses an empty --db", "[cli]") {
  QTemporaryDir dir;
  const QString typo = dir.filePath("typo/dir/h.sqlite");
  const CliResult r = run_gapscope(tiny_sweep(typo));
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(typo.toStdString()) && Contains("does not exist"));
  CHECK_FALSE(QFileInfo::exists(dir.filePath("typo")));
  for (const QStringList& args : {QStringList{"history", "--db", ""}, tiny_sweep("")}) {
    const CliResult empty = run_gapscope(args);
    CHECK(empty.exit_code == 2);
    CHECK_THAT(empty.err, Contains("--db needs a file name"));
  }
}

TEST_CASE("an existing file that is not a gapscope history is refused by name and left as it was", "[cli]") {
  QTemporaryDir dir;
  const QString empty = dir.filePath("empty.sqlite");
  write_file(empty, {});
  for (const QStringList& args : {QStringList{"history", "--db", empty}, tiny_sweep(empty)}) {
    const CliResult r = run_gapscope(args);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains(empty.toStdString()) && Contains("empty file (0 bytes)"));
    CHECK(QFileInfo(empty).size() == 0);
  }
  const CliResult folder = run_gapscope({"history", "--db", dir.path()});
  CHECK(folder.exit_code == 3);
  CHECK_THAT(folder.err, Contains("not a regular file"));
}

TEST_CASE("history filters that can match no run are usage errors naming the accepted values", "[cli]") {
  QTemporaryDir dir;
  const QString db = dir.filePath("h.sqlite");
  write_history(db);
  const CliResult since = run_gapscope({"history", "--since", "garbage", "--db", db});
  CHECK(since.exit_code == 2);
  CHECK_THAT(since.err, Contains("--since") && Contains("'garbage'") && Contains("YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"));
  CHECK(run_gapscope({"history", "--until", "2026-02-30", "--db", db}).exit_code == 2);
  const CliResult kind = run_gapscope({"history", "--kind", "frob", "--db", db});
  CHECK(kind.exit_code == 2);
  CHECK_THAT(kind.err, Contains("'frob'") && Contains("run, sweep, workbench"));
  CHECK(run_gapscope({"history", "show", "evil-run", "--kind", "sweep", "--db", db}).exit_code == 2);
  const CliResult good = run_gapscope({"history", "--kind", "sweep", "--since", "2000-01-01", "--db", db});
  CHECK(good.exit_code == 0);
  CHECK_THAT(good.out, Contains("1 run(s)"));
}

TEST_CASE("stored labels and messages reach the terminal escaped; --json keeps them exact", "[cli]") {
  QTemporaryDir dir;
  const QString db = dir.filePath("h.sqlite");
  write_history(db);
  const CliResult list = run_gapscope({"history", "--db", db});
  REQUIRE(list.exit_code == 0);
  CHECK(list.out.find('\x1b') == std::string::npos);
  CHECK_THAT(list.out, Contains("\\x1b]0;pwned\\x07\\x1b[2Jlabel\\nforged"));
  const CliResult show = run_gapscope({"history", "show", "evil-run", "--db", db});
  REQUIRE(show.exit_code == 0);
  CHECK(show.out.find('\x1b') == std::string::npos);
  CHECK_THAT(show.out, Contains("\\x1b[2Jlabel\\nforged row") && Contains("the page said \\x1b[31mred\\x1b[0m"));
  const CliResult json = run_gapscope({"history", "--json", "--db", db});
  REQUIRE(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out).at("label") == kEvilLabel);
}

TEST_CASE("every gapscope command names a word it does not take", "[cli]") {
  for (const QStringList& args :
       {QStringList{"history", "list", "extra"}, QStringList{"history", "show", "r", "extra"},
        QStringList{"history", "compare", "a", "b", "extra"}, QStringList{"report", "r", "extra"},
        QStringList{"sweep", "extra", "--preset", "paper-fig1-4"}, QStringList{"run", "extra"},
        QStringList{"reproduce", "paper", "extra"}}) {
    const CliResult r = run_gapscope(args);
    INFO(args.join(' ').toStdString() << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("unexpected argument 'extra'"));
  }
}

TEST_CASE("a sweep over 100,000 items is refused naming its grid sizes, before the history is touched", "[cli]") {
  QTemporaryDir dir;
  QStringList widths;
  for (int w = 1; w <= 2000; ++w) widths << QString::number(w);
  QStringList depths;
  for (int d = 1; d <= 64; ++d) depths << QString::number(d);
  const CliResult r = run_gapscope({"sweep", "--model", "paper-dnn", "--depths", depths.join(','), "--widths",
                                    widths.join(','), "--backends", "native-cpu,tfjs-wasm", "--rounds", "100", "--db",
                                    dir.filePath("h.sqlite")});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("64 depths x 2,000 widths x 2 backends x 100 rounds = 25,600,000 items") &&
                        Contains("limit of 100,000") && Contains("split the grid over several sweeps"));
  CHECK_FALSE(QFileInfo::exists(dir.filePath("h.sqlite")));
}

TEST_CASE("a read-only history is read, and refused by name for changes, unchanged", "[cli]") {
  QTemporaryDir dir;
  QFile::setPermissions(dir.path(), QFileDevice::Permissions(0x7777));  // any user may enter and write the folder
  const QString db = dir.filePath("h.sqlite");
  write_history(db);
  QFile::setPermissions(db, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
  const std::string before = read_file(db);
  const CliResult list = run_gapscope_unprivileged({"history", "--db", db});
  INFO(list.err);
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Contains("evil-run"));
  for (const QStringList& args : {QStringList{"history", "delete", "evil-run", "--db", db}, tiny_sweep(db)}) {
    const CliResult r = run_gapscope_unprivileged(args);
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains(db.toStdString() + " is read-only"));
  }
  CHECK(read_file(db) == before);
}

TEST_CASE("a WAL history in a folder SQLite may not write is named as such, not called corrupt", "[cli]") {
  QTemporaryDir dir;
  const QString sub = dir.filePath("locked");
  REQUIRE(QDir(dir.path()).mkdir("locked"));
  QFile::setPermissions(dir.path(), QFileDevice::Permissions(0x7755));
  const QString db = sub + "/h.sqlite";
  write_history(db);
  QFile::setPermissions(db, QFileDevice::Permissions(0x6666));
  QFile::setPermissions(sub, QFileDevice::Permissions(0x5555));  // nobody may create h.sqlite-wal/-shm here
  const std::string before = read_file(db);
  const CliResult r = run_gapscope_unprivileged({"history", "--db", db});
  QFile::setPermissions(sub, QFileDevice::Permissions(0x7755));
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains(db.toStdString()) && Contains("folder is not writable") && Contains("-wal"));
  CHECK_THAT(r.err, !Contains("corrupt"));
  CHECK(read_file(db) == before);
}

}  // namespace gapscope::test
