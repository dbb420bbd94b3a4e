// parse_json_text, the one reader of JSON text: nesting and array limits
// (issue 17: 100,000 nested arrays overflowed the stack; a million layers were
// parsed, quadratically, before the layer limit was looked at), the byte
// order mark, duplicate keys.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "core/base/json_fields.h"
#include "core/base/json_text.h"

using namespace gapscope;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;

namespace {

std::string nested(int depth, const std::string& inner = "") {
  return std::string(static_cast<size_t>(depth), '[') + inner + std::string(static_cast<size_t>(depth), ']');
}

std::string error_of(std::string_view text, std::initializer_list<JsonArrayLimit> limits = {}) {
  try {
    parse_json_text(text, limits);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "no error";
}

// "[{}, {}, ...]" with n objects.
std::string objects(int n) {
  std::string text = "[";
  for (int i = 0; i < n; ++i) text += i ? ",{\"a\":1}" : "{\"a\":1}";
  return text + "]";
}

}  // namespace

TEST_CASE("JSON nesting: the limit passes, one more level is an error at its bracket", "[json]") {
  CHECK(parse_json_text(nested(kMaxJsonDepth, "7")).dump() == nested(kMaxJsonDepth, "7"));
  CHECK_THAT(error_of(nested(kMaxJsonDepth + 1)),
             Equals("JSON nested deeper than 512 levels at line 1, column 513 (byte 512)"));
  // Objects count as levels too; brackets inside strings do not.
  std::string mixed = "{\"a[[[\": \"]]]{\", \"b\": ";
  for (int i = 1; i < kMaxJsonDepth; ++i) mixed += i % 2 ? "[" : "{\"k\":";
  const size_t too_deep_at = mixed.size();
  mixed += "[1]";
  CHECK_THAT(error_of(mixed), StartsWith("JSON nested deeper than 512 levels") &&
                                  EndsWith("(byte " + std::to_string(too_deep_at) + ")"));
}

TEST_CASE("JSON nested 100,000 deep is an error, not a stack overflow", "[json][fuzz-regression]") {
  CHECK_THAT(error_of(nested(100'000)), StartsWith("JSON nested deeper than 512 levels"));
  CHECK_THAT(error_of("{\"format\": " + nested(100'000) + "}"), EndsWith("column 523 (byte 522)"));
  CHECK_FALSE(try_parse_json_text(nested(100'000)).has_value());
}

TEST_CASE("JSON array limits refuse an array as it is read, naming its path", "[json]") {
  const std::string spec = R"({"spec": {"layers": [1, 2, 3]}, "other": [1, 2, 3, 4]})";
  CHECK(parse_json_text(spec, {{"layers", 3}})["spec"]["layers"].size() == 3);
  CHECK_THAT(error_of(spec, {{"layers", 2}}), Equals("spec.layers has more than the limit of 2 entries"));
  CHECK_THAT(error_of(R"({"m": [{"w": []}, {"w": [1, 2]}]})", {{"w", 1}}),
             Equals("m[1].w has more than the limit of 1 entries"));
  // An object under the key, or the array at the top, is not limited.
  CHECK(parse_json_text(R"({"layers": {"a": 1, "b": 2}})", {{"layers", 1}})["layers"].size() == 2);
  CHECK(parse_json_text("[1, 2, 3]", {{"layers", 1}}).size() == 3);

  // Refused at the element past the limit: what follows is never read (this
  // text's syntax error comes after it).
  const std::string many = "{\"layers\": " + objects(1001).substr(0, objects(1001).size() - 1) + ", oops";
  CHECK_THAT(error_of(many, {{"layers", 1000}}), Equals("layers has more than the limit of 1,000 entries"));
  CHECK_THAT(error_of(many), StartsWith("JSON syntax error"));
}

TEST_CASE("JSON parsing is linear: 300,000 objects in one array", "[json]") {
  // The callback parser this replaced rescanned the array after each object:
  // 300,000 layers took 13.7 s; this takes about 0.1 s (ASan: 0.5 s).
  const std::string text = objects(300'000);
  const auto start = std::chrono::steady_clock::now();
  CHECK(parse_json_text(text).size() == 300'000);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));  // a quadratic parse takes minutes
}

TEST_CASE("JSON text may start with a UTF-8 byte order mark", "[json]") {
  const std::string bom = "\xEF\xBB\xBF";
  CHECK(parse_json_text(bom + " {\"a\": 1}")["a"] == 1);
  CHECK(json_value_start(bom + " \n{") == 5);
  CHECK(json_value_start("  [") == 2);
  CHECK(json_value_start(bom + "  ") == std::string::npos);
  // Only at the start: elsewhere it is not JSON.
  CHECK_THAT(error_of("{\"a\": " + bom + "1}"), StartsWith("JSON syntax error at line 1, column 7"));
}

TEST_CASE("JSON keys given twice are an error at any depth", "[json]") {
  CHECK_THAT(error_of(R"({"a": [{"b": 1, "b": 2}]})"),
             Equals("JSON text has the key \"b\" twice in one object; remove one of them"));
  CHECK(parse_json_text(R"([{"b": 1}, {"b": 2}])").size() == 2);
}

TEST_CASE("json_excerpt keeps any value to one short line", "[json]") {
  CHECK(json_excerpt(nlohmann::json::parse("[1, \"two\", {\"k\": null}]")) == "[1,\"two\",{\"k\":null}]");
  CHECK(json_excerpt(std::string(1000, 'x')).size() <= 60 + 3);
  // Cut inside a two-byte character: shown, not thrown.
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "\xC3\xA9";
  CHECK_NOTHROW(json_excerpt("x" + accents));
  CHECK_THAT(json_excerpt(nlohmann::json{{accents, 1}}), StartsWith("{\"\xC3\xA9"));
  CHECK_THAT(json_excerpt(parse_json_text(nested(500))), Equals(std::string(60, '[') + "..."));
}

TEST_CASE("integers written as JSON floats read as integers; too large ones name the range", "[json]") {
  CHECK(read_integer(nlohmann::json(1e3), "units") == 1000);
  CHECK(read_integer(nlohmann::json(-128.0), "units") == -128);
  CHECK_THROWS_WITH(read_integer(nlohmann::json(12.5), "units"), "units must be an integer, got 12.5");
  CHECK_THROWS_WITH(read_integer(nlohmann::json(1e300), "units"),
                    "units is 1e+300, beyond the 64-bit integer range (at most 9,223,372,036,854,775,807)");
  CHECK_THROWS_WITH(read_integer(parse_json_text("18446744073709551615"), "units"),
                    Contains("beyond the 64-bit integer range"));
}

TEST_CASE("a float too small for float32 is an error naming the value, not a silent 0", "[json]") {
  CHECK(read_float(nlohmann::json(1e-3), "epsilon") == 1e-3f);
  CHECK(read_float(nlohmann::json(0.0), "epsilon") == 0.0f);
  CHECK_THROWS_WITH(read_float(parse_json_text("1e-300"), "epsilon"),
                    "epsilon is 1e-300, too small for a float32: it would compute as 0 (the smallest is "
                    "1.1754944e-38)");
  // Denormal floats are flushed to zero by gapscope-native: also refused.
  CHECK_THROWS_WITH(read_float(parse_json_text("-1e-40"), "epsilon"), StartsWith("epsilon is -1e-40, too small"));
}
