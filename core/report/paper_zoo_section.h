// The paper's Section 5.1 in the reproduction's report: Keras's pre-trained
// models (Table 4: size, parameters, computation; Figure 5: inference time per
// image on each backend) re-measured on gapscope's zoo, beside the paper's
// values, and what Section 5.1 claims about GPUs judged where this machine can.
#pragma once
#include <vector>

#include "core/report/html_document.h"
#include "core/store/results_store.h"

namespace gapscope {

// One stored run per zoo model (gapscope reproduce paper's "zoo-<model>"
// parts); an empty list says the part was not run.
void add_zoo_section(HtmlDocument& doc, const std::vector<StoredRun>& zoo_runs);

}  // namespace gapscope
