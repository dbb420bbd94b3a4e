// Prints measurements as JSON lines (machine output) or as an aligned table.
#pragma once
#include <cstdio>
#include <vector>

#include "core/measure/measurement.h"

namespace gapscope::cli {

void print_json_line(const nlohmann::json& record);
void print_measurement_table(const std::vector<Measurement>& records, std::FILE* out = stdout);
// "12.3 ms", "4.56 us", "1.2 MB": a value in its unit for people.
std::string human_value(double value, const std::string& unit);

}  // namespace gapscope::cli
