// Saving builds the document, checks it with the same reader that loading
// uses (a file we write is a file we can open), then writes it atomically.
// Records go one per line so that a file with thousands of samples stays
// readable and diffable.
#include "ui/workbench/workspace.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <QDateTime>
#include <QFile>

#include "core/base/atomic_file.h"
#include "core/measure/measurement.h"
#include "core/base/json_fields.h"
#include "core/base/json_text.h"
#include "core/spec/model_spec.h"
#include "core/build_info.h"

namespace gapscope::ui {
namespace {

using nlohmann::json;

// What is wrong inside the document; the caller adds the file's name.
class FieldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string got(const json& j) { return ", got " + json_kind(j); }

// The offending value in an error, cut short: it may be a long string.
std::string shown(const json& j) {
  std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return text.size() <= 40 ? text : text.substr(0, 37) + "...";
}

// nlohmann says "[json.exception.type_error.302] type must be ..."; keep the words.
std::string plain_reason(const std::exception& e) {
  std::string what = e.what();
  size_t bracket = what.find("] ");
  return what.rfind("[json.exception.", 0) == 0 && bracket != std::string::npos ? what.substr(bracket + 2) : what;
}

const json& required(const json& object, const std::string& key, const std::string& path) {
  auto it = object.find(key);
  if (it == object.end()) throw FieldError(path + " is missing");
  return *it;
}

const json& required_object(const json& object, const std::string& key, const std::string& path) {
  const json& value = required(object, key, path);
  if (!value.is_object()) throw FieldError(path + " must be an object" + got(value));
  return value;
}

void check_format(const json& document) {
  if (!document.is_object())
    throw FieldError("not a gapscope workspace: the top level is " + json_kind(document) +
                     ", expected an object with \"format\": \"" + kWorkspaceFormat + "\"");
  auto it = document.find("format");
  if (it == document.end())
    throw FieldError(std::string("not a gapscope workspace: format is missing (expected \"") + kWorkspaceFormat +
                     "\")");
  if (!it->is_string()) throw FieldError("format must be a string" + got(*it));
  const std::string format = it->get<std::string>();
  if (format == kWorkspaceFormat) return;
  std::string message = "format is \"" + format + "\", expected \"" + kWorkspaceFormat + "\"";
  if (format.rfind("gapscope.model/", 0) == 0) message += ": this is a model spec, not a workspace";
  if (format.rfind("gapscope.workspace/", 0) == 0)
    message += ": written by another version of gapscope, which this one cannot read";
  throw FieldError(message);
}

std::vector<std::string> read_backends(const json& document) {
  const json& backends = required(document, "backends", "backends");
  if (!backends.is_array()) throw FieldError("backends must be an array of backend ids" + got(backends));
  std::vector<std::string> ids;
  for (size_t i = 0; i < backends.size(); ++i) {
    if (!backends[i].is_string())
      throw FieldError(element_path("backends", i) + " must be a string" + got(backends[i]));
    ids.push_back(backends[i].get<std::string>());
  }
  return ids;
}

double read_runs_scale(const json& protocol) {
  const json& value = required(protocol, "runs_scale", "protocol.runs_scale");
  if (!value.is_number() || !(value.get<double>() > 0) || !std::isfinite(value.get<double>()))
    throw FieldError("protocol.runs_scale must be a number > 0, got " + shown(value));
  return value.get<double>();
}

int64_t read_batch_size(const json& protocol) {
  const json& value = required(protocol, "batch_size", "protocol.batch_size");
  // An unsigned value above int64's range would wrap to a negative one.
  bool fits = value.is_number_integer() &&
              (!value.is_number_unsigned() ||
               value.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
  if (!fits || value.get<int64_t>() < 1)
    throw FieldError("protocol.batch_size must be an integer >= 1, got " + shown(value));
  return value.get<int64_t>();
}

// Checks the fields a table or chart will read, so a bad record is refused
// here, naming its index, instead of breaking a view later.
void check_record(const json& record, size_t index) {
  const std::string not_a_record =
      element_path("records", index) + " is not a " + std::string(kMeasurementSchema) + " record: ";
  if (!record.is_object()) throw FieldError(not_a_record + "it is " + json_kind(record) + ", not an object");
  auto string_field = [&](const char* key) {
    auto it = record.find(key);
    if (it == record.end()) throw FieldError(not_a_record + "\"" + key + "\" is missing");
    if (!it->is_string()) throw FieldError(not_a_record + "\"" + key + "\" must be a string" + got(*it));
    return it->get<std::string>();
  };
  if (const std::string schema = string_field("schema"); schema != kMeasurementSchema)
    throw FieldError(not_a_record + "\"schema\" is \"" + schema + "\"");
  const std::string kind = string_field("kind");
  if (kind == "run") {
    string_field("run_id");
  } else if (kind == "failure") {
    for (const char* key : {"backend", "reason", "error"}) string_field(key);
  } else if (kind == "measurement") {
    for (const char* key : {"backend", "phase", "unit"}) string_field(key);
    try {
      measurement_from_json(record);
    } catch (const std::exception& e) {
      throw FieldError(not_a_record + plain_reason(e));
    }
  } else {
    throw FieldError(not_a_record + "\"kind\" is \"" + kind + "\", expected run, measurement or failure");
  }
}

std::vector<json> read_records(const json& document) {
  const json& records = required(document, "records", "records");
  if (!records.is_array()) throw FieldError("records must be an array" + got(records));
  for (size_t i = 0; i < records.size(); ++i) check_record(records[i], i);
  return records.get<std::vector<json>>();
}

// Unknown fields, top-level or in "protocol", are read past (forward compatible).
Workspace workspace_from_document(const json& document) {
  check_format(document);
  Workspace workspace;
  workspace.spec = required_object(document, "spec", "spec");
  workspace.data = required_object(document, "data", "data");
  workspace.backends = read_backends(document);
  const json& protocol = required_object(document, "protocol", "protocol");
  workspace.runs_scale = read_runs_scale(protocol);
  workspace.batch_size = read_batch_size(protocol);
  workspace.records = read_records(document);
  if (const auto view = document.find("view"); view != document.end()) {
    if (!view->is_object()) throw FieldError("view must be an object" + got(*view));
    workspace.view = *view;
  }
  return workspace;
}

json workspace_document(const Workspace& workspace) {
  return {{"format", kWorkspaceFormat},
          {"saved", QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()},
          {"app", {{"gapscope", GAPSCOPE_VERSION}, {"git_revision", git_revision()}}},
          {"spec", workspace.spec},
          {"data", workspace.data},
          {"backends", workspace.backends},
          {"protocol", {{"runs_scale", workspace.runs_scale}, {"batch_size", workspace.batch_size}}},
          {"view", workspace.view},
          {"records", workspace.records}};
}

// Invalid UTF-8 in a string becomes U+FFFD rather than failing the save.
std::string dump(const json& j, int indent) { return j.dump(indent, ' ', false, json::error_handler_t::replace); }

// The fields in reading order (json objects sort their keys), records one a line.
std::string workspace_text(const json& document) {
  std::string text = "{\n";
  for (const char* key : {"format", "saved", "app", "spec", "data", "backends", "protocol", "view"}) {
    std::string value = dump(document.at(key), 2);
    // Nest it one level: JSON text has raw newlines only between tokens.
    for (size_t at = value.find('\n'); at != std::string::npos; at = value.find('\n', at + 3))
      value.insert(at + 1, "  ");
    text += "  \"" + std::string(key) + "\": " + value + ",\n";
  }
  const json& records = document.at("records");
  text += "  \"records\": [";
  for (size_t i = 0; i < records.size(); ++i) text += (i ? ",\n    " : "\n    ") + dump(records[i], -1);
  text += records.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return text;
}

}  // namespace

void save_workspace(const QString& path, const Workspace& workspace) {
  const json document = workspace_document(workspace);
  try {
    workspace_from_document(document);
  } catch (const FieldError& e) {
    throw std::runtime_error("cannot save workspace " + path.toStdString() + ": " + e.what());
  }
  // Its errors name the file and the OS reason, and leave the old file intact.
  write_file_atomically(QFile::encodeName(path).toStdString(), workspace_text(document));
}

Workspace load_workspace(const QString& path) {
  // Refuses a file over the limit before reading it, naming the limit.
  const std::string bytes = read_file_limited(QFile::encodeName(path).toStdString(), kWorkspaceMaxBytes);
  const std::string failed = "cannot open workspace " + path.toStdString() + ": ";
  json document;
  try {
    // "JSON syntax error at line 3, column 7 (byte 41): ...", or a key given twice.
    document = parse_json_text(bytes);
  } catch (const SpecError& e) {  // also a number too large for a double
    throw std::runtime_error(failed + e.what());
  }
  try {
    return workspace_from_document(document);
  } catch (const FieldError& e) {
    throw std::runtime_error(failed + e.what());
  }
}

}  // namespace gapscope::ui
