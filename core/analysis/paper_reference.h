// What the WWW'19 paper (Ma, Xiang, Zheng, Tian, Liu: "Moving Deep Learning
// into Web Browser: How Far Can We Go?", arXiv 1901.09388) says, as data: its
// eight findings (Table 6, in our words) and gapscope's additions, the ranges
// of its browser-vs-native experiment (Table 5) on our presets, and the values
// it states. docs/paper-reference.md says where each item comes from; a value
// the paper only draws in a chart is empty here, never guessed.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gapscope {

struct PaperFinding {
  std::string id;         // "1".."8" as numbered in Table 6; "A1", "A2", ... for gapscope's additions
  std::string name;       // Table 6's name column (e.g. "Model complexity"), or the addition's
  std::string statement;  // in our words, never the paper's sentence
  std::string source;     // where the paper says it: "Table 6", or the section an addition rests on
  bool addition() const { return !id.empty() && id.front() == 'A'; }
};

// A model family's grid on our presets:
//   paper-dnn: depth = hidden dense layers, width = units of each
//   paper-cnn: depth = conv layers,         width = filters of each
//   paper-rnn: depth = LSTM layers,         width = units of each
struct PaperGrid {
  std::string model;  // paper-dnn | paper-cnn | paper-rnn
  std::vector<int64_t> depths, widths;
  std::string source;  // which text the grid follows (Table 5 or the authors' code) and why
};

struct PaperValue {
  std::string figure;           // "Table 2", "Figure 1", "Abstract", ...
  std::string framework;        // our backend id ("tfjs-cpu", "convnetjs", ...), or "" for the whole study
  std::string what;             // what is measured
  std::optional<double> value;  // empty: the paper does not state it in text we could read
  std::string unit;
  std::string source;  // where it was read, or why it is empty
  std::string finding = "";  // the finding it backs ("6", "A3"), or ""
  std::string config = "";   // for a per-configuration value: "<depth>x<width>" of paper-dnn
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

// Table 6, in the paper's order ("1".."8"), then gapscope's additions ("A1"..):
// claims the paper makes in its text outside Table 6.
const std::vector<PaperFinding>& paper_findings();
// One of them by id; throws std::invalid_argument naming the ids there are.
const PaperFinding& paper_finding(const std::string& id);
// "33.9 x (Section 5.2.3: DNN training ...); ..." for the values backing a finding, or "".
std::string paper_numbers(const std::string& finding_id);

// The Section 5 (Table 5) ranges for paper-dnn, paper-cnn and paper-rnn.
std::vector<PaperGrid> paper_gap_grids();

// Every value the paper states that we compare with (and the ones it does not
// state, with an empty value, so a report can say so).
const std::vector<PaperValue>& paper_values();

}  // namespace gapscope
