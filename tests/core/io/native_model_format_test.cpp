// The native binary format: bit-exact round trips, and a clear ModelFileError
// (path + byte offset) for every way a file can be damaged or hostile.
#include <string_view>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/io/crc32c.h"
#include "core/io/little_endian.h"
#include "core/base/number_text.h"
#include "core/io/model_file.h"
#include "tests/core/io/model_file_test_support.h"

using namespace gapscope;
using namespace gapscope::test;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;

namespace {

void fix_checksum(std::string& bytes) {
  size_t body = bytes.size() - 4;
  uint32_t crc = crc32c(std::string_view(bytes.data(), static_cast<size_t>(body)));
  store_u32_le(bytes.data() + body, crc);
}

// A native file with the given topology and weight data, correctly framed
// and checksummed: for files that are well-formed but lie.
std::string native_file(const std::string& topology, const std::string& data) {
  std::string bytes = "GAPSCOPE";
  bytes.resize(20);
  store_u32_le(bytes.data() + 8, 1);
  store_u64_le(bytes.data() + 12, topology.size());
  bytes += topology;
  bytes.resize((bytes.size() + 63) / 64 * 64, '\0');
  bytes += data;
  bytes.resize(bytes.size() + 4);
  fix_checksum(bytes);
  return bytes;
}

nlohmann::json topology_of(const std::string& bytes) {
  return nlohmann::json::parse(bytes.substr(20, load_u64_le(bytes.data() + 12)));
}

std::string data_of(const std::string& bytes) {
  size_t start = (20 + load_u64_le(bytes.data() + 12) + 63) / 64 * 64;
  return bytes.substr(start, bytes.size() - 4 - start);
}

}  // namespace

TEST_CASE("native files round-trip bit-exactly", "[io][native]") {
  ScratchDir dir;
  ModelFile model = small_model();
  model.weights[0].values[3] = std::numeric_limits<float>::quiet_NaN();  // binary formats keep NaN
  model.weights[0].values[4] = -std::numeric_limits<float>::infinity();
  std::string path = dir.file("m.gapscope");
  save_model(path, model, ModelFormat::native_binary);
  CHECK(detect_model_format(path) == ModelFormat::native_binary);
  ModelFile loaded = load_model(path);
  CHECK(same_bits(loaded.weights, model.weights));
  CHECK(model_spec_to_json(loaded.spec) == model_spec_to_json(model.spec));
  CHECK(model_file_bytes(path, ModelFormat::native_binary) == static_cast<int64_t>(read_bytes(path).size()));
}

TEST_CASE("native layout: magic, version, aligned arrays, trailing CRC", "[io][native]") {
  ScratchDir dir;
  ModelFile model = small_model();
  std::string path = dir.file("m.gapscope");
  save_model(path, model, ModelFormat::native_binary);
  std::string bytes = read_bytes(path);
  CHECK(bytes.substr(0, 8) == "GAPSCOPE");
  CHECK(load_u32_le(bytes.data() + 8) == 1);
  nlohmann::json topology = topology_of(bytes);
  CHECK(topology["spec"] == model_spec_to_json(model.spec));
  size_t data_start = (20 + load_u64_le(bytes.data() + 12) + 63) / 64 * 64;
  REQUIRE(topology["weights"].size() == model.weights.size());
  for (size_t i = 0; i < model.weights.size(); ++i) {
    const auto& entry = topology["weights"][i];
    CHECK(entry["name"] == model.weights[i].name);
    int64_t offset = entry["offset"];
    CHECK(offset % 64 == 0);
    float first;
    load_floats_le(&first, bytes.data() + data_start + offset, 1);
    CHECK(std::memcmp(&first, &model.weights[i].values[0], 4) == 0);
  }
  uint32_t crc = static_cast<uint32_t>(
      crc32c(std::string_view(bytes.data(), bytes.size() - 4)));
  CHECK(load_u32_le(bytes.data() + bytes.size() - 4) == crc);
}

TEST_CASE("native: a file cut anywhere is an error", "[io][native][damage]") {
  ScratchDir dir;
  std::string path = dir.file("m.gapscope");
  save_model(path, small_model(), ModelFormat::native_binary);
  std::string bytes = read_bytes(path);
  std::string cut_path = dir.file("cut.gapscope");
  for (size_t cut = 0; cut < bytes.size(); cut += (cut < 64 ? 1 : 37)) {
    write_bytes(cut_path, bytes.substr(0, cut));
    INFO("cut at " << cut << " of " << bytes.size());
    CHECK_THROWS_AS(load_model(cut_path), ModelFileError);
  }
  write_bytes(cut_path, bytes.substr(0, 12));
  CHECK_THAT(load_error(cut_path), Equals(cut_path + ": at byte 12: the file is truncated: 12 bytes, a native model "
                                                     "file has at least 24"));
  write_bytes(cut_path, bytes.substr(0, bytes.size() - 1));
  CHECK_THAT(load_error(cut_path), Contains("checksum mismatch"));
}

TEST_CASE("native: flipped bytes fail the checksum", "[io][native][damage]") {
  ScratchDir dir;
  std::string path = dir.file("m.gapscope");
  save_model(path, small_model(), ModelFormat::native_binary);
  std::string bytes = read_bytes(path);
  for (size_t at : {size_t{25}, size_t{100}, bytes.size() / 2, bytes.size() - 10, bytes.size() - 2}) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    write_bytes(path, flipped);
    INFO("flipped byte " << at);
    CHECK_THAT(load_error(path), Contains(": at byte " + with_thousands(static_cast<int64_t>(bytes.size()) - 4) +
                                          ": checksum mismatch: stored 0x"));
    CHECK_THAT(load_error(path), Contains("the file is corrupt or truncated"));
  }
}

TEST_CASE("native: wrong magic and newer versions are named", "[io][native][damage]") {
  ScratchDir dir;
  std::string path = dir.file("m.gapscope");
  save_model(path, small_model(), ModelFormat::native_binary);
  std::string bytes = read_bytes(path);

  std::string wrong = bytes;
  wrong[3] = 'X';
  write_bytes(path, wrong);
  CHECK_THROWS_AS(load_model(path), ModelFileError);  // not even detected as a model file
  CHECK_THAT(load_error(path), Equals(path + " is not a model file: neither a native file (\"GAPSCOPE\" magic) nor JSON"));

  std::string newer = bytes;
  store_u32_le(newer.data() + 8, 2);
  fix_checksum(newer);
  write_bytes(path, newer);
  CHECK_THAT(load_error(path),
             Equals(path + ": at byte 8: written by a newer gapscope: version 2, this build reads 1"));
}

TEST_CASE("native: huge lengths in the header are refused before allocating", "[io][native][limits]") {
  ScratchDir dir;
  std::string path = dir.file("m.gapscope");
  save_model(path, small_model(), ModelFormat::native_binary);
  std::string bytes = read_bytes(path);

  std::string huge = bytes;
  store_u64_le(huge.data() + 12, uint64_t{1} << 62);
  write_bytes(path, huge);
  CHECK_THAT(load_error(path), Equals(path + ": at byte 12: topology length 4,611,686,018,427,387,904 bytes is over "
                                             "the limit of 67,108,864"));
  store_u64_le(huge.data() + 12, 1 << 20);  // within limits, past the end of the file
  write_bytes(path, huge);
  CHECK_THAT(load_error(path), StartsWith(path + ": at byte 12: topology length 1,048,576 runs past the end of the "
                                                 "file"));

  // A well-formed, checksummed file whose table claims a huge array.
  nlohmann::json topology = topology_of(bytes);
  topology["weights"][0]["shape"] = {int64_t{1} << 40, int64_t{1} << 40};
  write_bytes(path, native_file(topology.dump(), data_of(bytes)));
  CHECK_THAT(load_error(path), Contains("over the limit"));

  topology = topology_of(bytes);
  topology["weights"][1]["offset"] = int64_t{1} << 60;
  write_bytes(path, native_file(topology.dump(), data_of(bytes)));
  CHECK_THAT(load_error(path), Contains("runs past the end of the weight data"));

  topology = topology_of(bytes);
  topology["weights"][1]["offset"] = 8;
  write_bytes(path, native_file(topology.dump(), data_of(bytes)));
  CHECK_THAT(load_error(path), Contains("offsets are non-negative multiples of 64"));

  ModelFileLimits tight;
  tight.max_file_bytes = 100;
  save_model(path, small_model(), ModelFormat::native_binary);
  CHECK_THAT(load_error(path, tight), Contains("over the limit of 100 bytes"));
  tight = {};
  tight.max_weight_elements = 10;
  CHECK_THAT(load_error(path, tight), Contains("over the limit of 10"));
}

TEST_CASE("native: weights must match the spec by name and shape", "[io][native][shapes]") {
  ScratchDir dir;
  std::string path = dir.file("m.gapscope");
  save_model(path, small_model(), ModelFormat::native_binary);
  std::string bytes = read_bytes(path);

  nlohmann::json topology = topology_of(bytes);
  topology["weights"][0]["shape"] = {6, 5};  // transposed kernel
  write_bytes(path, native_file(topology.dump(), data_of(bytes)));
  CHECK_THAT(load_error(path),
             Equals(path + ": weight 'dense_1/kernel' has shape [6, 5], the model needs [5, 6]"));

  topology = topology_of(bytes);
  topology["weights"].erase(1);
  write_bytes(path, native_file(topology.dump(), data_of(bytes)));
  CHECK_THAT(load_error(path), Equals(path + ": weight 'dense_1/bias' (shape [6]) is missing"));

  topology = topology_of(bytes);
  topology["weights"][1]["name"] = "dense_9/bias";
  write_bytes(path, native_file(topology.dump(), data_of(bytes)));
  CHECK_THAT(load_error(path), StartsWith(path + ": weight 'dense_9/bias' matches no parameter of the model; "
                                                 "expected: dense_1/kernel, dense_1/bias, dense_2/kernel"));

  topology = topology_of(bytes);
  topology["spec"]["layers"][0]["units"] = 0;
  write_bytes(path, native_file(topology.dump(), data_of(bytes)));
  CHECK_THAT(load_error(path), Equals(path + ": at byte 20: topology: layers[0].units must be >= 1, got 0"));

  write_bytes(path, native_file("{\"spec\": [}", ""));
  CHECK_THAT(load_error(path), StartsWith(path + ": at byte 30: topology: JSON syntax error at line 1, column 11"));

  write_bytes(path, native_file(topology_of(bytes).dump(), data_of(bytes) + std::string(64, '\0')));
  CHECK_THAT(load_error(path), Contains("64 unexpected bytes after the last weight array"));
}

TEST_CASE("saving refuses weights that do not fit the spec", "[io][native][shapes]") {
  ScratchDir dir;
  std::string path = dir.file("m.gapscope");
  ModelFile model = small_model();
  model.weights.pop_back();
  CHECK_THROWS_WITH(save_model(path, model, ModelFormat::native_binary),
                    Equals("cannot save " + path + ": weight 'dense_2/kernel' (shape [6, 10]) is missing"));
  model = small_model();
  model.weights[1].values.pop_back();
  CHECK_THROWS_WITH(save_model(path, model, ModelFormat::native_binary),
                    Equals("cannot save " + path + ": weight 'dense_1/bias' has 5 values, its shape [6] needs 6"));
  model = small_model();
  model.spec.layers[0].units = 0;
  CHECK_THROWS_WITH(save_model(path, model, ModelFormat::native_binary),
                    Equals("cannot save " + path + ": invalid spec: layers[0].units must be >= 1, got 0"));
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("saving over a directory or into a read-only one keeps the old file", "[io][native][atomic]") {
  ScratchDir dir;
  std::string path = dir.file("m.gapscope");
  save_model(path, small_model(), ModelFormat::native_binary);
  std::string before = read_bytes(path);
  std::filesystem::create_directory(dir.file("sub"));
  CHECK_THROWS_WITH(save_model(dir.file("sub"), small_model(), ModelFormat::native_binary),
                    StartsWith("cannot write " + dir.file("sub") + ": it is a directory, not a regular file"));
  if (::geteuid() != 0) {
    std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    CHECK_THROWS_AS(save_model(path, small_model(), ModelFormat::native_binary), FileWriteError);
    std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all);
  }
  CHECK(read_bytes(path) == before);
}

TEST_CASE("crc32c gives the standard check value, with and without SSE4.2 tails", "[io][native]") {
  using gapscope::crc32c;
  CHECK(crc32c("123456789") == 0xE3069283u);
  CHECK(crc32c("") == 0u);
  // 5 words of 8 bytes plus a 3-byte tail; value from a bitwise reference (Python).
  std::string text = "the quick brown fox jumps over the lazy dog";
  CHECK(crc32c(text) == 0x3C18F4D6u);
}
