// The native binary model file:
//   bytes 0-7    "GAPSCOPE"
//   bytes 8-11   format version, uint32 LE (1)
//   bytes 12-19  topology length T, uint64 LE
//   bytes 20..   topology: JSON {"spec": <model spec>, "weights": [{"name",
//                "shape", "offset"}]}; offset counts bytes from the start of
//                the weight data
//   zero padding to the next 64-byte boundary: the weight data starts there
//   float32 LE arrays, each starting on a 64-byte boundary (zero padding between)
//   CRC-32C (Castagnoli) of every byte before it, uint32 LE: the last 4 bytes.
// Loading checks the header, lengths and limits before allocating, then the
// checksum, then the spec and every array's name and shape.
#include <algorithm>
#include <cstring>
#include <memory>

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/io/crc32c.h"
#include "core/io/mapped_file.h"
#include "core/io/little_endian.h"
#include "core/io/model_formats.h"
#include "core/base/checked_math.h"
#include "core/base/json_fields.h"
#include "core/base/json_text.h"
#include "core/base/number_text.h"

namespace gapscope {

using nlohmann::json;

namespace {

constexpr char kMagic[8] = {'G', 'A', 'P', 'S', 'C', 'O', 'P', 'E'};
constexpr uint32_t kVersion = 1;
constexpr int64_t kHeaderBytes = 20;
constexpr int64_t kChecksumBytes = 4;
constexpr int64_t kAlignment = 64;

int64_t align_up(int64_t n) { return saturating_add(n, kAlignment - 1) / kAlignment * kAlignment; }

uint32_t crc32_of(const char* data, int64_t size) {
  return crc32c(std::string_view(data, static_cast<size_t>(size)));
}

std::string hex32(uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", v);
  return text;
}

// Errors name the file and the byte where the problem is.
[[noreturn]] void fail(const std::string& path, int64_t offset, const std::string& message) {
  throw ModelFileError(path + ": at byte " + with_thousands(offset) + ": " + message);
}

struct ArrayPlacement {
  WeightEntry entry;
  int64_t offset;  // from the start of the weight data
  int64_t bytes;
};

void check_header(const std::string& path, std::string_view bytes, const ModelFileLimits& limits) {
  int64_t size = static_cast<int64_t>(bytes.size());
  size_t magic_bytes = std::min<size_t>(bytes.size(), sizeof kMagic);
  if (std::memcmp(bytes.data(), kMagic, magic_bytes) != 0)
    fail(path, 0, "not a gapscope native model file (it does not start with \"GAPSCOPE\")");
  if (size < kHeaderBytes + kChecksumBytes)
    fail(path, size, "the file is truncated: " + std::to_string(size) + " bytes, a native model file has at least " +
                         std::to_string(kHeaderBytes + kChecksumBytes));
  uint32_t version = load_u32_le(bytes.data() + 8);
  if (version > kVersion)
    fail(path, 8, "written by a newer gapscope: version " + std::to_string(version) + ", this build reads " +
                      std::to_string(kVersion));
  if (version == 0) fail(path, 8, "invalid format version 0");
  uint64_t topology = load_u64_le(bytes.data() + 12);
  if (topology > static_cast<uint64_t>(limits.max_topology_bytes))
    fail(path, 12, "topology length " + with_thousands(static_cast<int64_t>(std::min<uint64_t>(topology, kSaturated))) +
                       " bytes is over the limit of " + with_thousands(limits.max_topology_bytes));
  int64_t topology_end = kHeaderBytes + static_cast<int64_t>(topology);
  if (topology_end > size - kChecksumBytes)
    fail(path, 12, "topology length " + with_thousands(static_cast<int64_t>(topology)) +
                       " runs past the end of the file (" + with_thousands(size) +
                       " bytes): the file is truncated or corrupt");
}

void check_checksum(const std::string& path, std::string_view bytes) {
  int64_t body = static_cast<int64_t>(bytes.size()) - kChecksumBytes;
  uint32_t stored = load_u32_le(bytes.data() + body);
  uint32_t computed = crc32_of(bytes.data(), body);
  if (stored != computed)
    fail(path, body, "checksum mismatch: stored " + hex32(stored) + ", computed " + hex32(computed) +
                         "; the file is corrupt or truncated");
}

std::vector<ArrayPlacement> read_weight_table(const json& table, const ModelFileLimits& limits) {
  expect_array(table, "weights");
  if (static_cast<int64_t>(table.size()) > limits.max_weight_arrays)
    throw SpecError("weights lists " + with_thousands(static_cast<int64_t>(table.size())) +
                    " arrays, over the limit of " + with_thousands(limits.max_weight_arrays));
  std::vector<ArrayPlacement> arrays;
  int64_t elements = 0;
  for (size_t i = 0; i < table.size(); ++i) {
    std::string path = element_path("weights", i);
    const json& item = expect_object(table[i], path);
    reject_unknown_keys(item, path, {"name", "shape", "offset"}, "a weight entry");
    ArrayPlacement a;
    a.entry.name = read_string(required_field(item, path, "name"), field_path(path, "name"));
    a.entry.shape = read_shape_json(required_field(item, path, "shape"), field_path(path, "shape"));
    a.offset = read_integer(required_field(item, path, "offset"), field_path(path, "offset"));
    int64_t count = saturating_element_count(a.entry.shape);
    a.bytes = saturating_mul(count, 4);
    elements = saturating_add(elements, count);
    if (elements > limits.max_weight_elements)
      throw SpecError("weights hold more than " + with_thousands(limits.max_weight_elements) +
                      " values in all, over the limit");
    arrays.push_back(std::move(a));
  }
  return arrays;
}

// Every array inside the weight data, aligned, not overlapping; nothing after the last.
void check_placements(const std::string& path, std::vector<ArrayPlacement> arrays, int64_t data_start,
                      int64_t data_end) {
  if (data_start > data_end)
    fail(path, data_end, "the weight data should start at byte " + with_thousands(data_start) +
                             ", past the end of the file: the file is truncated or corrupt");
  std::sort(arrays.begin(), arrays.end(), [](auto& a, auto& b) { return a.offset < b.offset; });
  int64_t end = 0;
  for (const ArrayPlacement& a : arrays) {
    int64_t at = saturating_add(data_start, std::max<int64_t>(a.offset, 0));
    if (a.offset < 0 || a.offset % kAlignment != 0)
      fail(path, data_start, "weight '" + a.entry.name + "' has offset " + with_thousands(a.offset) +
                                 "; offsets are non-negative multiples of 64");
    if (a.offset < end)
      fail(path, at, "weight '" + a.entry.name + "' overlaps the array before it");
    if (saturating_add(at, a.bytes) > data_end)
      fail(path, at, "weight '" + a.entry.name + "' (" + with_thousands(a.bytes) +
                         " bytes) runs past the end of the weight data at byte " + with_thousands(data_end) +
                         ": the file is truncated or corrupt");
    end = a.offset + a.bytes;
  }
  if (data_start + end != data_end)
    fail(path, data_start + end, with_thousands(data_end - data_start - end) +
                                     " unexpected bytes after the last weight array");
}

}  // namespace

void save_native_model(const std::string& path, const ModelFile& model) {
  ModelSpec spec;
  WeightSet weights = checked_weights_for_saving(model, path, spec);

  json table = json::array();
  int64_t data_bytes = 0;
  std::vector<int64_t> offsets;
  for (const NamedArray& w : weights) {
    data_bytes = align_up(data_bytes);
    offsets.push_back(data_bytes);
    table.push_back({{"name", w.name}, {"shape", w.shape}, {"offset", data_bytes}});
    data_bytes += static_cast<int64_t>(w.values.size()) * 4;
  }
  json topology_json = {{"spec", model_spec_to_json(spec)}, {"weights", table}};
  if (!model.vocabulary.empty()) topology_json["vocabulary"] = model.vocabulary;
  std::string topology = topology_json.dump();
  int64_t data_start = align_up(kHeaderBytes + static_cast<int64_t>(topology.size()));

  std::string bytes(static_cast<size_t>(data_start + data_bytes + kChecksumBytes), '\0');
  std::memcpy(bytes.data(), kMagic, sizeof kMagic);
  store_u32_le(bytes.data() + 8, kVersion);
  store_u64_le(bytes.data() + 12, topology.size());
  std::memcpy(bytes.data() + kHeaderBytes, topology.data(), topology.size());
  for (size_t i = 0; i < weights.size(); ++i)
    store_floats_le(bytes.data() + data_start + offsets[i], weights[i].values.data(), weights[i].values.size());
  int64_t body = data_start + data_bytes;
  store_u32_le(bytes.data() + body, crc32_of(bytes.data(), body));
  write_file_atomically(path, bytes);  // FileWriteError: not a bad model
}

ModelFile load_native_model(const std::string& path, const ModelFileLimits& limits) {
  std::unique_ptr<MappedFile> file;
  try {
    file = std::make_unique<MappedFile>(path, limits.max_file_bytes);
  } catch (const std::runtime_error& e) {
    throw ModelFileError(e.what());
  }
  std::string_view bytes = file->bytes();
  check_header(path, bytes, limits);
  check_checksum(path, bytes);

  int64_t topology_size = static_cast<int64_t>(load_u64_le(bytes.data() + 12));
  json topology;
  try {
    topology = parse_model_file_json(bytes.substr(kHeaderBytes, static_cast<size_t>(topology_size)), limits);
  } catch (const JsonSyntaxError& e) {
    fail(path, kHeaderBytes + e.byte_offset(), std::string("topology: ") + e.what());
  } catch (const SpecError& e) {
    fail(path, kHeaderBytes, std::string("topology: ") + e.what());
  }

  ModelFile model;
  std::vector<ArrayPlacement> arrays;
  try {
    expect_object(topology, "topology");
    reject_unknown_keys(topology, "", {"spec", "weights", "vocabulary"}, "the topology");
    model.vocabulary = read_vocabulary_json(topology, "");
    model.spec = parse_model_spec(required_field(topology, "", "spec"), spec_limits_for_loading(limits));
    arrays = read_weight_table(required_field(topology, "", "weights"), limits);
  } catch (const SpecError& e) {
    fail(path, kHeaderBytes, std::string("topology: ") + e.what());
  }
  std::vector<WeightEntry> entries;
  for (const ArrayPlacement& a : arrays) entries.push_back(a.entry);
  check_weight_entries(model.spec, entries, path);

  int64_t data_start = align_up(kHeaderBytes + topology_size);
  int64_t data_end = static_cast<int64_t>(bytes.size()) - kChecksumBytes;
  check_placements(path, arrays, data_start, data_end);

  for (const ArrayPlacement& a : arrays) {
    NamedArray w{a.entry.name, a.entry.shape, std::vector<float>(static_cast<size_t>(a.bytes / 4))};
    load_floats_le(w.values.data(), bytes.data() + data_start + a.offset, w.values.size());
    model.weights.push_back(std::move(w));
  }
  model.weights = in_spec_order(model.spec, std::move(model.weights));
  return model;
}

}  // namespace gapscope
