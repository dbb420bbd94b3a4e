// gapscope-native inspect: what a model file (or spec) holds.
#include <cstdio>
#include <iostream>

#include "app/common/arguments.h"
#include "app/common/model_source.h"
#include "app/native/commands.h"
#include "app/common/measurement_output.h"
#include "core/io/model_file.h"
#include "core/spec/layer_type.h"
#include "core/spec/model_spec.h"

namespace gapscope::cli {

int command_inspect(const CommandArgs& raw) {
  Arguments args(raw, kModelFlags, {"--json"}, {0, 1, "one model FILE (see --help)"});
  if (args.has("--help")) {
    std::printf(
        "usage: gapscope-native inspect [--json] FILE\n"
        "       gapscope-native inspect [--json] --preset NAME [sizes]\n"
        "Prints a model's format, topology, output shape per layer, parameter\n"
        "count, FLOPs per sample (forward, 2 x multiply-adds; per image for the\n"
        "zoo) and size: on disk for a FILE (native binary, JSON-with-weights, or\n"
        "a TF.js model.json), of its float32 weights for a preset.\n\n%s",
        model_flags_help());
    return kOk;
  }
  std::string given, format_name;
  ModelFile file;
  int64_t bytes = 0;
  if (args.positional().empty()) {
    if (args.has("--model")) throw UsageError("give the model FILE as the argument, not --model");
    if (!args.has("--preset")) throw UsageError("inspect needs one model FILE or --preset NAME (see --help)");
    file.spec = resolve_model(args).spec;
    given = args.get("--preset");
    format_name = "preset";
    bytes = count_parameters(file.spec) * static_cast<int64_t>(sizeof(float));
  } else {
    if (args.has("--preset") || args.has("--model")) throw UsageError("inspect takes a model FILE or --preset, not both");
    const ModelArgument model(args.positional()[0]);
    given = model.given();
    const ModelFormat format = model.read(detect_model_format);
    format_name = model_format_name(format);
    file = model.load_any();
    // Inspect shows such a model (to find out what went wrong); running it is refused.
    if (const auto non_finite = first_non_finite_weight(file.weights))
      std::fprintf(stderr, "warning: %s: %s; commands that compute with it (predict, train, bench, run) refuse it\n",
                   given.c_str(), non_finite->c_str());
    bytes = model.read([&](const std::string& path) { return model_file_bytes(path, format); });
  }
  const std::vector<LayerCost> costs = layer_costs(file.spec);
  const bool graph = std::string(model_spec_format(file.spec)) == kModelGraphSpecFormat;
  if (args.has("--json")) {
    nlohmann::json layers = nlohmann::json::array();
    for (size_t i = 0; i < file.spec.layers.size(); ++i)
      layers.push_back({{"name", file.spec.layers[i].name},
                        {"type", file.spec.layers[i].type},
                        {"inputs", costs[i].inputs},
                        {"output_shape", costs[i].output},
                        {"parameters", costs[i].parameters},
                        {"flops", costs[i].flops}});
    print_json_line({{"path", given},
                     {"format", format_name},
                     {"bytes", bytes},
                     {"parameters", count_parameters(file.spec)},
                     {"flops", forward_flops(file.spec)},
                     {"layers", layers},
                     {"notes", file.notes},
                     {"spec", model_spec_to_json(file.spec)}});
    return kOk;
  }
  std::printf("%s\n  format      %s\n  size        %s (%lld bytes)\n  model       %s\n  input       %s\n",
              given.c_str(), format_name.c_str(), human_value(static_cast<double>(bytes), "bytes").c_str(),
              static_cast<long long>(bytes), file.spec.name.c_str(),
              shape_to_string(file.spec.input_shape).c_str());
  // A graph also says what each layer takes.
  if (graph) std::printf("  (a graph: input '%s', output '%s')\n", file.spec.input_name.c_str(), file.spec.layers.back().name.c_str());
  const auto print_row = [graph](const std::string& name, const std::string& type, const std::string& output,
                                 const std::string& activation, const std::string& inputs) {
    if (graph)
      std::printf("  %-16s %-12s %-12s %-12s %s\n", name.c_str(), type.c_str(), output.c_str(), activation.c_str(), inputs.c_str());
    else
      std::printf("  %-16s %-12s %-12s %s\n", name.c_str(), type.c_str(), output.c_str(), activation.c_str());
  };
  print_row("layer", "type", "output", "activation", "inputs");
  for (size_t i = 0; i < file.spec.layers.size(); ++i) {
    const LayerSpec& l = file.spec.layers[i];
    std::string inputs;
    for (const std::string& name : costs[i].inputs) inputs += (inputs.empty() ? "" : ", ") + name;
    print_row(l.name, l.type, shape_to_string(costs[i].output),
              layer_type_of(l).has_activation() ? std::string(activation_name(l.activation)) : "-", inputs);
  }
  std::printf("  parameters  %lld\n  FLOPs       %lld per sample (forward)\n  loss        %s\n  optimizer   %s (learning rate %g)\n",
              static_cast<long long>(count_parameters(file.spec)),
              static_cast<long long>(forward_flops(file.spec)),
              std::string(loss_name(file.spec.loss)).c_str(),
              std::string(optimizer_name(file.spec.optimizer.kind)).c_str(),
              static_cast<double>(file.spec.optimizer.learning_rate));
  return kOk;
}

}  // namespace gapscope::cli
