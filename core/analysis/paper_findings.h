// Judges each of the paper's eight findings (Table 6) and gapscope's additions
// from our measurements: confirmed, not confirmed, or not measured (the runs
// lack what it needs, or this machine cannot show it), with evidence in our
// own numbers beside the paper's. Rounds of a grid point
// (and the same point in several runs) are pooled before taking medians; a
// comparison is made on every grid point both sides measured, and the evidence
// says on how many it holds.
#pragma once
#include <string>
#include <vector>

#include "core/analysis/paper_reference.h"
#include "core/store/results_store.h"

namespace gapscope {

enum class Verdict { confirmed, not_confirmed, not_measured };
// "confirmed", "not_confirmed", "not_measured".
const char* to_string(Verdict verdict);

struct FindingCheck {
  PaperFinding finding;
  Verdict verdict = Verdict::not_measured;
  // e.g. "convnetjs is the fastest ... on 11 of 12 configurations (paper-dnn 1x64 train: convnetjs 2.10 ms
  // vs tfjs-cpu 9.80 ms)".
  std::string evidence;
};

// One check per finding of paper_findings(), in its order. `runs` are the
// grids' sweeps and the zoo's runs (findings 4 and 5 are about the zoo). Throws std::invalid_argument
// naming the run, configuration and phase if a measurement holds a sample that
// is not a finite number.
std::vector<FindingCheck> check_paper_findings(const std::vector<StoredRun>& runs);

// Whether a WebGL renderer string names a software renderer (llvmpipe,
// SwiftShader): WebGL then runs on the CPU, and no GPU claim can be judged.
bool is_software_renderer(const std::string& renderer);

}  // namespace gapscope
