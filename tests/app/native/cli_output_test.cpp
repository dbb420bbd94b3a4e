// Output files and hostile model files through the real gapscope-native
// (issue 17): special files are never replaced, output paths are checked
// before the work, write failures say what failed, TF.js models in one folder
// keep their own shards, stale temp files go, a model can come from a pipe.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "tests/app/native/cli_support.h"

using namespace gapscope::cli_test;
namespace fs = std::filesystem;

namespace {

const std::string kQuickTrain = "train --depth 1 --width 4 --steps 1 --threads 1 --quiet";
const std::string kQuickSweep = "sweep --depths 1 --widths 4 --rounds 1 --runs-scale 0.01 --threads 1 --quiet";

// One sample of 784 values: a batch for `predict`.
std::string write_batch(const fs::path& dir) {
  const fs::path path = dir / "batch.json";
  std::ofstream(path) << "[" << nlohmann::json(std::vector<float>(784, 0.5f)).dump() << "]";
  return path.string();
}

}  // namespace

TEST_CASE("train --save, sweep --out refuse a FIFO, a device or a folder and leave it as it was", "[cli][output]") {
  const fs::path dir = scratch("special-targets");
  const fs::path fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const std::string& command : {kQuickTrain + " --save ", kQuickTrain + " --format tfjs --save ",
                                     kQuickSweep + " --out "}) {
    Result r = run(command + fifo.string(), true);
    INFO(command << "\n" << r.out);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("cannot write " + fifo.string() + ": it is a FIFO (named pipe), not a regular "
                                      "file"));
    CHECK(fs::is_fifo(fifo));
  }
  Result folder = run(kQuickTrain + " --save " + dir.string(), true);
  CHECK(folder.exit_code == 1);
  CHECK_THAT(folder.out, Catch::Contains("it is a directory, not a regular file"));

  // A device node of our own (/dev/null's numbers) in the scratch folder, never a real one.
  const fs::path device = dir / "null";
  if (::mknod(device.c_str(), S_IFCHR | 0600, ::makedev(1, 3)) != 0) {
    WARN("cannot mknod here (not root?): the character device case is skipped");
    return;
  }
  for (const std::string& command : {kQuickTrain + " --save ", kQuickSweep + " --out "}) {
    Result r = run(command + device.string(), true);
    INFO(command << "\n" << r.out);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("cannot write " + device.string() + ": it is a character device"));
    CHECK(fs::status(device).type() == fs::file_type::character);
  }
}

TEST_CASE("train and sweep check their output path before any work", "[cli][output]") {
  const fs::path dir = scratch("output-first");
  const std::string missing = (dir / "nodir" / "x" / "m.gsm").string();
  // 300,000 steps would take minutes: the refusal must come first.
  Result train = run("train --depth 1 --width 4 --steps 300000 --threads 1 --save " + missing, true);
  CHECK(train.exit_code == 1);
  CHECK_THAT(train.out, Catch::Contains("cannot write " + missing + ": the folder " + (dir / "nodir" / "x").string() +
                                        " does not exist"));
  CHECK_THAT(train.out, !Catch::Contains("parameters on"));  // the model was never built
  Result sweep = run("sweep --depths 1 --widths 4 --rounds 1000 --threads 1 --out " + missing, true);
  CHECK(sweep.exit_code == 1);
  CHECK_THAT(sweep.out, Catch::Contains("cannot write " + missing));
  CHECK_FALSE(fs::exists(dir / "nodir"));

  // A TF.js save's shard that could not be written is found before training too.
  const fs::path shard = dir / "m-group1-shard1of1.bin";
  REQUIRE(::mkfifo(shard.c_str(), 0600) == 0);
  Result tfjs = run("train --depth 1 --width 4 --steps 300000 --threads 1 --format tfjs --save " +
                        (dir / "m.json").string(), true);
  CHECK(tfjs.exit_code == 1);
  CHECK_THAT(tfjs.out, Catch::Contains("cannot write " + shard.string() + ": it is a FIFO (named pipe)"));
  CHECK_THAT(tfjs.out, !Catch::Contains("parameters on"));
  CHECK_FALSE(fs::exists(dir / "m.json"));
  CHECK(fs::is_fifo(shard));
}

TEST_CASE("a write that fails says what failed, not 'bad model file'", "[cli][output]") {
  const fs::path dir = scratch("write-fails");
  const std::string model = (dir / "m.gsm").string();
  // A file size limit of a few KiB (SIGXFSZ ignored): writing the 50 KB model fails like a full disk.
  Result r = run_command("sh -c \"trap '' XFSZ; ulimit -f 16; " + std::string(GAPSCOPE_NATIVE_EXE) + " train " +
                         "--depth 1 --width 16 --steps 1 --threads 1 --quiet --save " + model + "\" 2>&1");
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("cannot write " + model + ": writing failed after ") &&
                        Catch::Contains("File too large") && !Catch::Contains("bad model file"));
  CHECK_FALSE(fs::exists(model));
  CHECK(fs::is_empty(dir));  // no temp file left
}

TEST_CASE("two TF.js models saved in one folder keep their own shards", "[cli][output][tfjs]") {
  const fs::path dir = scratch("tfjs-folder");
  const std::string batch = write_batch(dir);
  const std::string a = (dir / "a.json").string(), b = (dir / "b.json").string();
  REQUIRE(run(kQuickTrain + " --seed 1 --format tfjs --save " + a).exit_code == 0);
  Result a_before = run("predict --json --model " + a + " --input " + batch);
  REQUIRE(a_before.exit_code == 0);
  REQUIRE(run(kQuickTrain + " --seed 2 --format tfjs --save " + b).exit_code == 0);
  Result a_after = run("predict --json --model " + a + " --input " + batch);
  Result b_out = run("predict --json --model " + b + " --input " + batch);
  CHECK(a_after.out == a_before.out);
  CHECK(b_out.out != a_before.out);
  CHECK(fs::exists(dir / "a-group1-shard1of1.bin"));
  CHECK(fs::exists(dir / "b-group1-shard1of1.bin"));
}

TEST_CASE("a save removes the temp file a killed save left", "[cli][output]") {
  const fs::path dir = scratch("stale-temp");
  const pid_t killed = ::fork();  // stands for a save killed by SIGKILL: a PID that no longer runs
  if (killed == 0) ::_exit(0);
  ::waitpid(killed, nullptr, 0);
  const fs::path stale = dir / (".m.gsm.tmp-" + std::to_string(killed) + "-0");
  std::ofstream(stale) << std::string(1 << 20, 'x');
  fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(1));  // killed an hour ago
  REQUIRE(run(kQuickTrain + " --save " + (dir / "m.gsm").string()).exit_code == 0);
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(dir / "m.gsm"));
}

TEST_CASE("a model or spec read from a pipe loads like the file", "[cli][output]") {
  const fs::path dir = scratch("pipe-model");
  const std::string batch = write_batch(dir);
  const std::string exe = GAPSCOPE_NATIVE_EXE;
  // TF.js is left out: its shards are files beside model.json, and a pipe has no folder.
  for (const auto& [format, name] : {std::pair{"native", "m.gsm"}, std::pair{"json", "m.json"}}) {
    const std::string model = (dir / name).string();
    REQUIRE(run(kQuickTrain + " --format " + format + " --save " + model).exit_code == 0);
    Result from_file = run("predict --json --model " + model + " --input " + batch);
    REQUIRE(from_file.exit_code == 0);
    Result from_pipe = run_command("cat " + model + " | " + exe + " predict --json --model /dev/stdin --input " +
                                   batch + " 2>&1");
    INFO(from_pipe.out);
    CHECK(from_pipe.exit_code == 0);
    CHECK(from_pipe.out == from_file.out);
    Result inspected = run_command("cat " + model + " | " + exe + " inspect --json /dev/stdin");
    CHECK(inspected.exit_code == 0);
    CHECK(json_lines(inspected.out).at(0)["path"] == "/dev/stdin");
  }
  // A bad model through a pipe is named as given, not by the in-memory copy.
  Result garbage = run_command("echo garbage | " + exe + " predict --model /dev/stdin --input " + batch + " 2>&1");
  CHECK(garbage.exit_code == 3);
  CHECK_THAT(garbage.out, Catch::Contains("bad model file: /dev/stdin is not a model file") &&
                              !Catch::Contains("/proc/self/fd"));
  // A spec through a pipe: sniffed as a spec, then read as one.
  std::ofstream(dir / "spec.json") << R"({"format": "gapscope.model/1", "input": {"shape": [4]},
    "layers": [{"type": "dense", "units": 2}], "loss": "mean_squared_error",
    "optimizer": {"type": "sgd", "learning_rate": 0.1}})";
  Result spec = run_command("cat " + (dir / "spec.json").string() + " | " + exe +
                            " bench --model /dev/stdin --phases infer --runs-scale 0.01 --threads 1 --json 2>&1");
  INFO(spec.out);
  CHECK(spec.exit_code == 0);
}

TEST_CASE("hostile TF.js shard paths are refused through the executable", "[cli][output][tfjs]") {
  const fs::path dir = scratch("tfjs-hostile"), outside = scratch("tfjs-outside");
  const std::string model = (dir / "m.json").string();
  REQUIRE(run(kQuickTrain + " --format tfjs --save " + model).exit_code == 0);
  nlohmann::json model_json = nlohmann::json::parse(std::ifstream(model));

  fs::rename(dir / "m-group1-shard1of1.bin", outside / "w.bin");
  fs::create_symlink(outside / "w.bin", dir / "m-group1-shard1of1.bin");
  Result linked = run("inspect " + model, true);
  CHECK(linked.exit_code == 3);
  CHECK_THAT(linked.out, Catch::Contains("weightsManifest[0].paths[0] 'm-group1-shard1of1.bin' leaves the model's "
                                         "directory"));

  model_json["weightsManifest"][0]["paths"][0] = std::string("m-group1-shard1of1.bin\0x", 24);
  std::ofstream(model) << model_json.dump();
  Result nul = run("inspect " + model, true);
  CHECK(nul.exit_code == 3);
  CHECK_THAT(nul.out, Catch::Contains("weightsManifest[0].paths[0] \"m-group1-shard1of1.bin\\u0000x\" holds a NUL"));
}
