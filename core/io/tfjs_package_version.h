// The TF.js version the installed web harness ships: "version" of
// <web root>/node_modules/@tensorflow/tfjs/package.json, or "unknown".
#pragma once
#include <filesystem>
#include <string>

namespace gapscope {

std::string tfjs_package_version(const std::filesystem::path& web_root);

// The web root laid out beside an executable: <dir>/share/gapscope/web (build
// tree) or <dir>/../share/gapscope/web (installed); empty if neither exists.
std::filesystem::path web_root_beside(const std::filesystem::path& executable_dir);
// Where this process's executable is (/proc/self/exe); empty if unknown.
std::filesystem::path this_executable_directory();

}  // namespace gapscope
