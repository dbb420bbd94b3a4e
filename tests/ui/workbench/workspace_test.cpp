// Workspace files: a full round trip; errors that name the file and the field;
// saves that fail (also for root) without harming the previous file; the
// recent-files list in a test-only QSettings.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <functional>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

#include "core/measure/measurement.h"
#include "ui/workbench/recent_files.h"
#include "ui/workbench/workspace.h"
#include "core/build_info.h"

namespace gapscope::test {
namespace {

using Catch::Matchers::Contains;
using nlohmann::json;

const std::string kRunId = "20261126T061500Z-3fa9c2";

// A run record, a measurement and a failure, as a two-backend run leaves them.
std::vector<json> three_records(size_t samples_per_measurement = 3) {
  std::vector<double> samples;
  for (size_t i = 0; i < samples_per_measurement; ++i) samples.push_back(1.25 + 0.125 * static_cast<double>(i));
  Measurement train = make_measurement("train", "ms", samples);
  train.run_id = kRunId;
  train.backend = "native-cpu";
  train.model = "mlp-2x128";
  train.config = {{"preset", "paper-dnn-2x128"}, {"batch", 32}};
  train.warmup = 5;
  train.details = {{"leaked_tensors", 0}};
  return {run_metadata(kRunId), to_json(train),
          failure_record(kRunId, "brainjs", "mlp-2x128", {{"batch", 32}}, "unsupported",
                         "brainjs: unsupported by brainjs: activation 'softmax' (dense layer 'dense_3')")};
}

ui::Workspace full_workspace() {
  ui::Workspace workspace;
  workspace.spec = json::parse(R"({"format": "gapscope.model/1", "name": "mlp-2x128",
    "input": {"shape": [784]},
    "layers": [{"type": "dense", "units": 128, "activation": "relu"},
               {"type": "dense", "units": 10, "activation": "softmax"}],
    "loss": "categorical_crossentropy", "optimizer": {"type": "sgd", "learning_rate": 0.1}})");
  workspace.data = {{"source", "text"}, {"path", "/data/corpus.txt"}, {"sequence_length", 32}};
  workspace.backends = {"native-cpu", "tfjs-wasm", "brainjs"};
  workspace.runs_scale = 0.25;
  workspace.batch_size = 32;
  workspace.records = three_records();
  return workspace;
}

void write_text(const QString& path, const std::string& text) {
  QFile file(path);
  REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
  REQUIRE(file.write(text.data(), static_cast<qint64>(text.size())) == static_cast<qint64>(text.size()));
}

std::string read_text(const QString& path) {
  QFile file(path);
  REQUIRE(file.open(QIODevice::ReadOnly));
  return file.readAll().toStdString();
}

// The message `load_workspace(path)` throws, or "" when it loads.
std::string load_error(const QString& path) {
  try {
    ui::load_workspace(path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

// The message `save_workspace` throws while `limit_bytes` caps the size of any
// file this process writes (RLIMIT_FSIZE): the write fails part way with
// EFBIG, as on a full disk. Root is bound by the limit too, unlike by file
// modes. The limit is lifted before returning, so that nothing else (Catch's
// own output to a file) is ever written under it.
std::string save_error_with_file_size_limit(const QString& path, const ui::Workspace& workspace, rlim_t limit_bytes) {
  rlimit saved_limit{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &saved_limit) == 0);
  // Without this, exceeding the limit kills the process (SIGXFSZ).
  struct sigaction ignore {}, saved_action {};
  ignore.sa_handler = SIG_IGN;
  REQUIRE(sigaction(SIGXFSZ, &ignore, &saved_action) == 0);
  rlimit small = saved_limit;
  small.rlim_cur = limit_bytes;
  std::string message;
  if (setrlimit(RLIMIT_FSIZE, &small) == 0) {
    try {
      ui::save_workspace(path, workspace);
    } catch (const std::runtime_error& e) {
      message = e.what();
    }
    setrlimit(RLIMIT_FSIZE, &saved_limit);
  } else {
    message = "setrlimit failed";
  }
  sigaction(SIGXFSZ, &saved_action, nullptr);
  return message;
}

QStringList entries(const QString& directory) {
  return QDir(directory).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

}  // namespace

TEST_CASE("A full workspace survives a save and a load unchanged", "[workspace]") {
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  const QString path = dir.filePath("study.gapscope");
  const ui::Workspace saved = full_workspace();
  ui::save_workspace(path, saved);

  const ui::Workspace loaded = ui::load_workspace(path);
  CHECK(loaded.spec == saved.spec);
  CHECK(loaded.data == saved.data);
  CHECK(loaded.backends == saved.backends);
  CHECK(loaded.runs_scale == saved.runs_scale);
  CHECK(loaded.batch_size == saved.batch_size);
  REQUIRE(loaded.records == saved.records);
  CHECK(loaded.records[2].at("kind") == "failure");
  CHECK(measurement_from_json(loaded.records[1]).samples == std::vector<double>{1.25, 1.375, 1.5});

  // The document says what wrote it and when; records are one a line.
  const std::string text = read_text(path);
  const json document = json::parse(text);
  CHECK(document.at("format") == ui::kWorkspaceFormat);
  CHECK(document.at("app").at("gapscope") == GAPSCOPE_VERSION);
  CHECK(document.at("app").at("git_revision") == std::string(git_revision()));
  CHECK(document.at("saved").get<std::string>().size() == std::string("2026-11-26T06:15:00Z").size());
  CHECK(document.at("protocol") == json{{"runs_scale", 0.25}, {"batch_size", 32}});
  CHECK(text.rfind("{\n  \"format\": \"gapscope.workspace/1\",\n", 0) == 0);
  CHECK(text.find("\n    " + saved.records[1].dump() + ",\n") != std::string::npos);

  // Saving again replaces the file and leaves no temporary file beside it.
  ui::Workspace changed = saved;
  changed.backends = {"tfjs-webgl"};
  ui::save_workspace(path, changed);
  CHECK(ui::load_workspace(path).backends == changed.backends);
  CHECK(entries(dir.path()) == QStringList{"study.gapscope"});

  // An empty workspace round-trips too.
  ui::Workspace empty;
  empty.spec = json::object();
  ui::save_workspace(path, empty);
  const ui::Workspace reloaded = ui::load_workspace(path);
  CHECK(reloaded.data == json{{"source", "mnist"}});
  CHECK(reloaded.backends.empty());
  CHECK(reloaded.records.empty());
}

TEST_CASE("Unknown fields in a workspace are read past", "[workspace]") {
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  const QString path = dir.filePath("newer.gapscope");
  ui::save_workspace(path, full_workspace());
  json document = json::parse(read_text(path));
  document["window_layout"] = {{"tabs", 4}};
  document["protocol"]["threads"] = 2;
  write_text(path, document.dump());
  CHECK(ui::load_workspace(path).backends == full_workspace().backends);
}

TEST_CASE("A file that is not JSON, too big or missing is refused with the file's name", "[workspace]") {
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  const QString path = dir.filePath("broken.gapscope");
  const std::string file_name = path.toStdString();

  SECTION("a syntax error gives its line and column") {
    write_text(path, "{\n  \"format\": \"gapscope.workspace/1\",\n  oops\n}\n");
    const std::string message = load_error(path);
    CHECK_THAT(message, Contains(file_name) && Contains("line 3, column 3"));
  }
  SECTION("a file cut short") {
    ui::save_workspace(path, full_workspace());
    const std::string text = read_text(path);
    write_text(path, text.substr(0, text.size() / 2));
    CHECK_THAT(load_error(path), Contains(file_name) && Contains("JSON syntax error at line"));
  }
  SECTION("an empty file") {
    write_text(path, "");
    CHECK_THAT(load_error(path), Contains(file_name) && Contains("line 1, column 1"));
  }
  SECTION("a number too large for a double") {
    write_text(path, R"({"format": "gapscope.workspace/1", "protocol": {"runs_scale": 1e999}})");
    CHECK_THAT(load_error(path), Contains(file_name) && Contains("JSON number out of range at line 1, column 63") &&
                                     Contains("'1e999' does not fit a 64-bit float"));
  }
  SECTION("a file over 256 MiB is refused before it is read") {
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    REQUIRE(file.resize(ui::kWorkspaceMaxBytes + 1));  // sparse: costs no disk
    file.close();
    CHECK_THAT(load_error(path), Contains(file_name) && Contains("256 MiB"));
  }
  SECTION("a missing file") {
    CHECK_THAT(load_error(path), Contains(file_name) && Contains("No such file"));
  }
}

TEST_CASE("A file of another format is refused, saying what it is", "[workspace]") {
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  const QString path = dir.filePath("other.json");
  const std::string file_name = path.toStdString();

  write_text(path, R"({"format": "gapscope.model/1", "name": "mlp", "layers": []})");
  CHECK_THAT(load_error(path), Contains(file_name) && Contains("format is \"gapscope.model/1\"") &&
                                   Contains("expected \"gapscope.workspace/1\"") && Contains("model spec"));
  write_text(path, R"({"format": "gapscope.workspace/2"})");
  CHECK_THAT(load_error(path), Contains(file_name) && Contains("another version of gapscope"));
  write_text(path, R"({"spec": {}})");
  CHECK_THAT(load_error(path), Contains(file_name) && Contains("format is missing"));
  write_text(path, R"({"format": 1})");
  CHECK_THAT(load_error(path), Contains(file_name) && Contains("format must be a string, got integer"));
  write_text(path, R"([{"schema": "gapscope.measurement/1"}])");
  CHECK_THAT(load_error(path), Contains(file_name) && Contains("not a gapscope workspace: the top level is array"));
}

TEST_CASE("Each ill-formed field is named in the error", "[workspace]") {
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  const QString path = dir.filePath("fields.gapscope");
  const std::string file_name = path.toStdString();
  ui::Workspace workspace = full_workspace();
  // Six records, so that records[5] exists.
  for (const json& record : three_records()) workspace.records.push_back(record);
  ui::save_workspace(path, workspace);
  const json good = json::parse(read_text(path));

  struct Case {
    std::function<void(json&)> spoil;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {[](json& d) { d["spec"] = "mlp-2x128"; }, "spec must be an object, got string"},
      {[](json& d) { d.erase("spec"); }, "spec is missing"},
      {[](json& d) { d["data"] = json::array({"mnist"}); }, "data must be an object, got array"},
      {[](json& d) { d.erase("data"); }, "data is missing"},
      {[](json& d) { d["backends"][2] = 7; }, "backends[2] must be a string, got integer"},
      {[](json& d) { d["backends"] = "native-cpu"; }, "backends must be an array"},
      {[](json& d) { d.erase("backends"); }, "backends is missing"},
      {[](json& d) { d["protocol"] = 3; }, "protocol must be an object, got integer"},
      {[](json& d) { d.erase("protocol"); }, "protocol is missing"},
      {[](json& d) { d["protocol"]["batch_size"] = 0; }, "protocol.batch_size must be an integer >= 1, got 0"},
      {[](json& d) { d["protocol"]["batch_size"] = 2.5; }, "protocol.batch_size must be an integer >= 1, got 2.5"},
      {[](json& d) { d["protocol"]["batch_size"] = "64"; }, "protocol.batch_size must be an integer >= 1"},
      {[](json& d) { d["protocol"]["batch_size"] = UINT64_MAX; }, "protocol.batch_size must be an integer >= 1"},
      {[](json& d) { d["protocol"].erase("batch_size"); }, "protocol.batch_size is missing"},
      {[](json& d) { d["protocol"]["runs_scale"] = -1; }, "protocol.runs_scale must be a number > 0, got -1"},
      {[](json& d) { d["protocol"]["runs_scale"] = "1"; }, "protocol.runs_scale must be a number > 0"},
      {[](json& d) { d["protocol"].erase("runs_scale"); }, "protocol.runs_scale is missing"},
      {[](json& d) { d["records"] = json::object(); }, "records must be an array, got object"},
      {[](json& d) { d.erase("records"); }, "records is missing"},
      {[](json& d) { d["records"][5] = {{"schema", "other/1"}, {"kind", "failure"}}; },
       "records[5] is not a gapscope.measurement/1 record: \"schema\" is \"other/1\""},
      {[](json& d) { d["records"][5] = 42; }, "records[5] is not a gapscope.measurement/1 record: it is integer"},
      {[](json& d) { d["records"][0]["kind"] = "progress"; },
       "records[0] is not a gapscope.measurement/1 record: \"kind\" is \"progress\""},
      {[](json& d) { d["records"][1].erase("phase"); },
       "records[1] is not a gapscope.measurement/1 record: \"phase\" is missing"},
      {[](json& d) { d["records"][4]["samples"] = "fast"; }, "records[4] is not a gapscope.measurement/1 record"},
      {[](json& d) { d["records"][5]["error"] = nullptr; },
       "records[5] is not a gapscope.measurement/1 record: \"error\" must be a string, got null"},
  };
  for (const Case& test : cases) {
    json document = good;
    test.spoil(document);
    write_text(path, document.dump());
    CAPTURE(test.expected);
    CHECK_THAT(load_error(path), Contains("cannot open workspace " + file_name + ": ") && Contains(test.expected));
  }
}

TEST_CASE("A workspace that would not load back is not saved", "[workspace]") {
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  const QString path = dir.filePath("unsaved.gapscope");
  ui::Workspace workspace = full_workspace();
  workspace.spec = nullptr;
  CHECK_THROWS_WITH(ui::save_workspace(path, workspace),
                    Contains(path.toStdString()) && Contains("spec must be an object, got null"));
  workspace = full_workspace();
  workspace.batch_size = 0;
  CHECK_THROWS_WITH(ui::save_workspace(path, workspace), Contains("protocol.batch_size must be an integer >= 1"));
  CHECK(entries(dir.path()).isEmpty());
}

TEST_CASE("A failed save throws, naming the file and the reason, and keeps the previous file", "[workspace]") {
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  // Tests run as root here, and root writes into a chmod 0555 directory, so
  // each failure below is one that binds root too.

  SECTION("a write that fails part way, as on a full disk") {
    const QString path = dir.filePath("study.gapscope");
    ui::Workspace small = full_workspace();
    small.records.clear();
    ui::save_workspace(path, small);
    const std::string previous = read_text(path);
    ui::Workspace big = full_workspace();
    big.records = three_records(2000);  // over 10 KiB, above the 4 KiB limit below
    const std::string message = save_error_with_file_size_limit(path, big, 4 << 10);
    CHECK_THAT(message, Contains(path.toStdString()) && Contains("File too large") && Contains("unchanged"));
    CHECK(read_text(path) == previous);
    CHECK(entries(dir.path()) == QStringList{"study.gapscope"});  // the temporary file is gone
    CHECK(ui::load_workspace(path).backends == small.backends);
  }
  SECTION("a directory that cannot hold files: its path goes through a regular file") {
    // ENOTDIR: no permission bits are involved, so root is refused as well.
    write_text(dir.filePath("plain-file"), "previous");
    const QString path = dir.filePath("plain-file/study.gapscope");
    CHECK_THROWS_WITH(ui::save_workspace(path, full_workspace()),
                      Contains(path.toStdString()) && Contains("Not a directory"));
    CHECK(read_text(dir.filePath("plain-file")) == "previous");
  }
  SECTION("the target is a directory") {
    const QString path = dir.filePath("study.gapscope");
    REQUIRE(QDir(dir.path()).mkpath("study.gapscope/inside"));
    CHECK_THROWS_WITH(ui::save_workspace(path, full_workspace()),
                      Contains(path.toStdString()) && Contains("it is a directory"));
    CHECK(QFileInfo(dir.filePath("study.gapscope/inside")).isDir());
    CHECK(entries(dir.path()) == QStringList{"study.gapscope"});
  }
  SECTION("a read-only directory, where file modes bind (not root)") {
    if (geteuid() == 0) {
      SUCCEED("skipped as root: root ignores the directory's mode; the sections above cover root");
      return;
    }
    const QString sub = dir.filePath("read-only");
    REQUIRE(QDir(dir.path()).mkdir("read-only"));
    const QString path = sub + "/study.gapscope";
    ui::save_workspace(path, full_workspace());
    const std::string previous = read_text(path);
    REQUIRE(QFile::setPermissions(sub, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup |
                                           QFile::ReadOther | QFile::ExeOther));
    ui::Workspace changed = full_workspace();
    changed.backends = {"tfjs-cpu"};
    CHECK_THROWS_WITH(ui::save_workspace(path, changed),
                      Contains(path.toStdString()) && Contains("Permission denied"));
    CHECK(read_text(path) == previous);
    QFile::setPermissions(sub, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);  // so it can be removed
  }
}

namespace {

// Points QSettings at a test location and a test organisation for one test,
// so that the user's own recent files are never read or touched.
class TestSettings {
 public:
  TestSettings()
      : test_mode_(QStandardPaths::isTestModeEnabled()),
        organization_(QCoreApplication::organizationName()),
        application_(QCoreApplication::applicationName()) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("gapscope-tests");
    QCoreApplication::setApplicationName("workspace-test");
    ui::RecentFiles::clear();
  }
  ~TestSettings() {
    ui::RecentFiles::clear();
    QCoreApplication::setOrganizationName(organization_);
    QCoreApplication::setApplicationName(application_);
    QStandardPaths::setTestModeEnabled(test_mode_);
  }
  TestSettings(const TestSettings&) = delete;
  TestSettings& operator=(const TestSettings&) = delete;

 private:
  bool test_mode_;
  QString organization_, application_;
};

}  // namespace

TEST_CASE("Recent files: most recent first, at most 8, each once, missing ones left out", "[workspace]") {
  TestSettings settings;
  CHECK(QSettings().fileName().contains("qttest"));
  CHECK(QSettings().fileName().contains("gapscope-tests"));
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  QStringList files;
  for (int i = 0; i < 10; ++i) {
    files.append(QFileInfo(dir.filePath(QString("study-%1.gapscope").arg(i))).absoluteFilePath());
    write_text(files.last(), "{}");
    files.last() = QFileInfo(files.last()).canonicalFilePath();
  }
  CHECK(ui::RecentFiles::list().isEmpty());

  for (const QString& file : files) ui::RecentFiles::add(file);
  QStringList expected;
  for (int i = 9; i >= 2; --i) expected.append(files[i]);
  CHECK(ui::RecentFiles::list() == expected);  // the two oldest fell off

  // Opening one again moves it first instead of listing it twice, however spelled.
  ui::RecentFiles::add(dir.path() + "/sub/../study-5.gapscope");
  expected.removeAll(files[5]);
  expected.prepend(files[5]);
  CHECK(ui::RecentFiles::list() == expected);
  ui::RecentFiles::add(files[2]);
  CHECK(ui::RecentFiles::list().first() == files[2]);
  CHECK(ui::RecentFiles::list().size() == ui::kMaxRecentFiles);
  CHECK(ui::RecentFiles::list().count(files[2]) == 1);

  // A file deleted since is left out.
  REQUIRE(QFile::remove(files[9]));
  CHECK_FALSE(ui::RecentFiles::list().contains(files[9]));
  CHECK(ui::RecentFiles::list().size() == ui::kMaxRecentFiles - 1);

  ui::RecentFiles::clear();
  CHECK(ui::RecentFiles::list().isEmpty());
}

}  // namespace gapscope::test
