// The architecture as the includes show it: core's folders form no cycle
// (shared vocabulary lives in core/base, below all), core names no Qt, Vulkan
// or browser header, no library includes the executables' app/ folder, and
// ui's libraries stack browser <- runs <- widgets (ui/CMakeLists.txt).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>

namespace gapscope {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = GAPSCOPE_SOURCE_DIR;

// (file, included path) for every #include "..." under `top`.
std::vector<std::pair<fs::path, std::string>> quoted_includes(const std::string& top) {
  static const std::regex include_line(R"(^\s*#\s*include\s*[<"]([^">]+)[">])");
  std::vector<std::pair<fs::path, std::string>> found;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(kSource / top)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".h" && ext != ".cpp") continue;
    std::ifstream in(entry.path());
    std::smatch match;
    for (std::string line; std::getline(in, line);)
      if (std::regex_search(line, match, include_line)) found.emplace_back(entry.path(), match[1].str());
  }
  return found;
}

// "core/spec/model_spec.h" -> "spec"; "" when not a core subfolder.
std::string core_folder(const std::string& path) {
  if (path.rfind("core/", 0) != 0) return "";
  const size_t slash = path.find('/', 5);
  return slash == std::string::npos ? "" : path.substr(5, slash - 5);
}

}  // namespace

TEST_CASE("core's folders include each other without a cycle", "[architecture]") {
  std::map<std::string, std::set<std::string>> uses;
  std::map<std::pair<std::string, std::string>, std::string> example;
  for (const auto& [file, included] : quoted_includes("core")) {
    const std::string from = core_folder(fs::relative(file, kSource).string());
    const std::string to = core_folder(included);
    if (from.empty() || to.empty() || from == to) continue;
    uses[from].insert(to);
    example.emplace(std::make_pair(from, to), fs::relative(file, kSource).string() + " includes " + included);
  }
  REQUIRE(uses.size() >= 8);  // the scan found core's folders
  // Depth-first search; a folder met again while still on the path closes a cycle.
  std::map<std::string, int> state;  // 1 on the path, 2 done
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& folder) {
    state[folder] = 1;
    path.push_back(folder);
    for (const std::string& next : uses[folder]) {
      if (state[next] == 1) {
        std::string cycle;
        for (auto it = std::find(path.begin(), path.end(), next); it != path.end(); ++it) cycle += *it + " -> ";
        FAIL("folder cycle: " << cycle << next << " (" << example[{folder, next}] << ")");
      }
      if (state[next] == 0) visit(next);
    }
    path.pop_back();
    state[folder] = 2;
  };
  for (const auto& [folder, _] : uses)
    if (state[folder] == 0) visit(folder);
  CHECK(uses["base"].empty());  // base is below everything
}

TEST_CASE("core includes no Qt, Vulkan or browser code, and no library includes app/", "[architecture]") {
  for (const auto& [file, included] : quoted_includes("core")) {
    INFO(fs::relative(file, kSource).string() << " includes " << included);
    CHECK(included.rfind("Q", 0) != 0);
    CHECK(included.find("vulkan") == std::string::npos);
    CHECK(included.rfind("ui/", 0) != 0);
    CHECK(included.rfind("gpu/", 0) != 0);
    CHECK(included.rfind("app/", 0) != 0);
  }
  for (const char* library : {"gpu", "ui"})
    for (const auto& [file, included] : quoted_includes(library)) {
      INFO(fs::relative(file, kSource).string() << " includes " << included);
      CHECK(included.rfind("app/", 0) != 0);
    }
}

TEST_CASE("ui/browser and ui/runs include no other ui folder than those below them", "[architecture]") {
  // The widgets library may use both; they must not use it (nor runs the browser's user).
  const std::map<std::string, std::vector<std::string>> allowed = {{"ui/browser", {"ui/browser/"}},
                                                                   {"ui/runs", {"ui/browser/", "ui/runs/"}}};
  for (const auto& [folder, may_include] : allowed)
    for (const auto& [file, included] : quoted_includes(folder)) {
      if (included.rfind("ui/", 0) != 0) continue;
      INFO(fs::relative(file, kSource).string() << " includes " << included);
      CHECK(std::any_of(may_include.begin(), may_include.end(),
                        [&](const std::string& prefix) { return included.rfind(prefix, 0) == 0; }));
    }
}

}  // namespace gapscope
