// CSV and JSON-lines exports of a stored run: RFC 4180 quoting that survives
// commas, quotes and newlines; every JSON line parses and follows the schema.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/report/records_export.h"
#include "tests/core/report/sample_run.h"

using namespace gapscope;
using Catch::Matchers::Contains;

namespace {

// Just enough of RFC 4180 to read back what records_csv writes.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, field_started = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      rows.back().push_back(field), field.clear(), field_started = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field), field.clear(), field_started = false;
      rows.emplace_back();
      ++i;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

size_t measurement_count(const StoredRun& run) {
  size_t n = 0;
  for (const auto& c : run.configurations) n += c.measurements.size();
  return n;
}

}  // namespace

TEST_CASE("csv fields are quoted only when they must be", "[report]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\r") == "\"cr\r\"");
}

TEST_CASE("records_csv has a row per measurement and per failure, and reads back", "[report]") {
  const StoredRun run = report_test::sample_run();
  const std::string csv = records_csv(run);
  CHECK(csv.rfind("run_id,configuration,model,preset,depth,width,batch,round,backend,status,phase,format,unit,n,"
                  "warmup,median,p10,p90,mean,min,max,samples,capabilities,reason,message\r\n",
                  0) == 0);
  const auto rows = parse_csv(csv);
  REQUIRE(rows.size() == 1 + measurement_count(run) + 1);
  for (const auto& row : rows) CHECK(row.size() == 25);

  const auto& failure = rows.back();
  CHECK(failure[8] == "brainjs");
  CHECK(failure[9] == "failed");
  CHECK(failure[10].empty());
  CHECK(failure[23] == "unsupported");
  CHECK(failure[24] == report_test::kFailureMessage);  // commas, quotes, newline, < & intact

  const auto& first = rows[1];  // native-cpu, depth 1, width 64, round 0, load
  CHECK(first[0] == run.summary.id);
  CHECK(first[1] == "0");
  CHECK(first[3] == "paper-dnn");
  CHECK(first[4] == "1");
  CHECK(first[5] == "64");
  CHECK(first[6] == "64");
  CHECK(first[7] == "0");
  CHECK(first[8] == "native-cpu");
  CHECK(first[10] == "load");
  CHECK(first[12] == "ms");
  CHECK(first[13] == "2");
  CHECK(first[14] == "1");
  CHECK(first[21] == "1.28 1.4222222222222223");
  CHECK(std::stod(first[15]) == Approx((1.28 + 64.0 / 45) / 2));
  CHECK(first[22] == "simd=avx2+fma;threads=16");
  bool saw_format = false;
  for (const auto& row : rows) saw_format = saw_format || (row[10] == "file_size" && row[11] == "json");
  CHECK(saw_format);
}

TEST_CASE("records_json writes the run record, every measurement, every failure; each line parses", "[report]") {
  const StoredRun run = report_test::sample_run();
  std::istringstream lines(records_json(run));
  std::vector<nlohmann::json> records;
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    REQUIRE_NOTHROW(records.push_back(nlohmann::json::parse(line)));
  }
  REQUIRE(records.size() == 1 + measurement_count(run) + 1);
  CHECK(records.front()["kind"] == "run");
  CHECK(records.front()["machine"]["cpu"] == "Test CPU 9000");
  for (size_t i = 1; i + 1 < records.size(); ++i) {
    const nlohmann::json& r = records[i];
    CHECK(r["kind"] == "measurement");
    CHECK(r["run_id"] == run.summary.id);
    CHECK(r["config"].contains("round"));
    CHECK(r["config"]["preset"] == "paper-dnn");
    CHECK(r["config"].contains("threads"));  // what the runner added is kept
    CHECK_NOTHROW(measurement_from_json(r));
  }
  const nlohmann::json& failure = records.back();
  CHECK(failure["kind"] == "failure");
  CHECK(failure["backend"] == "brainjs");
  CHECK(failure["reason"] == "unsupported");
  CHECK(failure["error"] == report_test::kFailureMessage);
  CHECK(failure["config"]["width"] == 64);
}

TEST_CASE("records_json of a run without metadata still starts with a run record", "[report]") {
  StoredRun run;
  run.summary.id = "bare";
  const std::string json = records_json(run);
  const auto record = nlohmann::json::parse(json);
  CHECK(record["kind"] == "run");
  CHECK(record["run_id"] == "bare");
  CHECK(records_csv(run).find("\r\n") == records_csv(run).size() - 2);  // the header only
}
