// What the WWW'19 paper (Ma, Xiang, Zheng, Tian, Liu: "Moving Deep Learning
// into Web Browser: How Far Can We Go?", arXiv 1901.09388) says, as data: its
// eight findings (Table 6, paraphrased), the ranges of its browser-vs-native
// experiment (Table 5) on our presets, and the values it states.
// docs/paper-reference.md says where each item comes from, and which could not
// be read from the stored copies of the paper (those values are empty here,
// never guessed).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gapscope {

struct PaperFinding {
  int number = 0;         // 1..8, as numbered in Table 6
  std::string area;       // e.g. "functionality", "browser vs native"
  std::string statement;  // paraphrased, never the paper's sentence
};

// A model family's grid on our presets:
//   paper-dnn: depth = hidden dense layers, width = units of each
//   paper-cnn: depth = conv layers,         width = filters of each
//   paper-rnn: depth = LSTM layers,         width = units of each
struct PaperGrid {
  std::string model;  // paper-dnn | paper-cnn | paper-rnn
  std::vector<int64_t> depths, widths;
};

struct PaperValue {
  std::string figure;           // "Table 2", "Figure 1", "Abstract", ...
  std::string framework;        // our backend id ("tfjs-cpu", "convnetjs", ...), or "" for the whole study
  std::string what;             // what is measured
  std::optional<double> value;  // empty: the paper does not state it in text we could read
  std::string unit;
  std::string source;  // where it was read, or why it is empty
};

// The frameworks the paper measured in Section 4, as our backend ids: TF.js
// CPU = tfjs-cpu, TF.js GPU = tfjs-webgl (it had no wasm backend in 2018),
// convnetjs, brainjs, synaptic.
const std::vector<std::string>& paper_frameworks();

// Table 1 (Section 3): the seven frameworks the paper surveyed, what it says
// of each, and what gapscope does with it: the backends that run it, or why
// it is not run.
struct PaperFramework {
  std::string name;                   // "TensorFlow.js"
  std::string status;                 // "active" / "not active" (late 2018)
  std::string last_commit;            // as the paper lists it
  bool trains = false, gpu = false;   // training in the browser; WebGL acceleration
  std::string network_types;          // "DNN, CNN, RNN"
  std::string library_size;           // "732 KB", "NA"
  std::vector<std::string> backends;  // gapscope's backend ids for it; empty: not run
  std::string not_run_reason;         // why, where backends is empty
};
const std::vector<PaperFramework>& paper_table1();

// Table 6, in the paper's order; numbers 1..8.
const std::vector<PaperFinding>& paper_findings();
// One of them; throws std::invalid_argument for a number outside 1..8.
const PaperFinding& paper_finding(int number);

// The Section 5 (Table 5) ranges for paper-dnn, paper-cnn and paper-rnn.
std::vector<PaperGrid> paper_gap_grids();

// Every value the paper states that we compare with (and the ones it does not
// state, with an empty value, so a report can say so).
const std::vector<PaperValue>& paper_values();

}  // namespace gapscope
