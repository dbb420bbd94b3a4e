// SpecDocument without widgets: presets, edits with undo/redo, the
// validator's messages mapped to fields, core's sizes per layer, and files.
#include <algorithm>
#include <fstream>
#include <limits>

#include <catch2/catch.hpp>

#include <QDir>
#include <QTemporaryDir>
#include <QUndoStack>

#include "core/io/model_file.h"
#include "core/spec/presets.h"
#include "tests/ui/builder/layer_context.h"
#include "ui/builder/spec_document.h"

namespace gapscope::test {
namespace {

using nlohmann::json;
using ui::SpecDocument;

constexpr qint64 kPaperDnn2x128Params = 784 * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10;
constexpr qint64 kPaperDnn2x128Flops = 2 * (784 * 128 + 128 * 128 + 128 * 10);

void applyPaperDnn(SpecDocument& doc) {
  doc.applyPreset("paper-dnn", 2, 128);
  REQUIRE(doc.isValid());
}

std::string whatOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& e) {
    return e.what();
  }
  FAIL("no exception");
  return {};
}

void writeText(const QString& path, const std::string& text) { std::ofstream(path.toStdString()) << text; }

// A one-hidden-layer paper DNN with every weight 0.5, saved as TF.js at `path`.
ModelFile savedPaperDnn(const QString& path) {
  ModelFile model;
  model.spec = paper_dnn(1, 16);
  for (const ParameterShape& p : parameter_shapes(model.spec))
    model.weights.push_back({p.name, p.shape, std::vector<float>(size_t(element_count(p.shape)), 0.5f)});
  save_model(path.toStdString(), model, ModelFormat::tfjs_layers);
  return model;
}

TEST_CASE("The paper DNN preset gives core's shapes, parameters and FLOPs per layer", "[builder]") {
  SpecDocument doc;
  applyPaperDnn(doc);
  CHECK(doc.specJson()["name"] == "paper-dnn-2x128");

  const auto rows = doc.rows();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].name == "dense_1");
  CHECK(rows[0].type == "dense");
  CHECK(rows[0].outputShape == "[128]");
  CHECK(rows[0].params == 784 * 128 + 128);
  CHECK(rows[0].flops == 2 * 784 * 128);
  CHECK(rows[1].params == 128 * 128 + 128);
  CHECK(rows[2].outputShape == "[10]");
  CHECK(rows[2].flops == 2 * 128 * 10);

  CHECK(doc.totalParams() == kPaperDnn2x128Params);
  CHECK(doc.totalFlops() == kPaperDnn2x128Flops);
  qint64 params = 0, flops = 0;
  for (const auto& row : rows) params += row.params, flops += row.flops;
  CHECK(params == doc.totalParams());
  CHECK(flops == doc.totalFlops());
}

TEST_CASE("A bad preset size is refused with core's message and changes nothing", "[builder]") {
  SpecDocument doc;
  applyPaperDnn(doc);
  const json before = doc.specJson();
  CHECK_THAT(whatOf([&] { doc.applyPreset("paper-dnn", 0, 128); }), Catch::Contains("depth must be in [1, 64]"));
  CHECK_THAT(whatOf([&] { doc.applyPreset("no-such-preset", 1, 1); }), Catch::Contains("paper-dnn"));
  CHECK(doc.specJson() == before);
}

TEST_CASE("Importing a TF.js model names the settings gapscope does not use", "[builder]") {
  QTemporaryDir dir;
  const QString path = dir.filePath("model.json");
  savedPaperDnn(path);
  std::ifstream in(path.toStdString());
  json written = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  written["modelTopology"]["config"]["layers"][0]["config"]["kernel_regularizer"] =
      json::parse(R"({"class_name": "L1L2", "config": {"l1": 0, "l2": 0.001}})");
  writeText(path, written.dump());

  SpecDocument doc;
  const QStringList notes = doc.importTfjs(path);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].contains("layers[0].config.kernel_regularizer: regularizer"));
  CHECK(doc.isValid());
  CHECK(doc.importedWeights().has_value());
}

TEST_CASE("An invalid field is reported on that field; undo and redo move between the states", "[builder]") {
  SpecDocument doc;
  applyPaperDnn(doc);
  int changes = 0;
  QObject::connect(&doc, &SpecDocument::changed, [&] { ++changes; });

  doc.setLayerField(1, "units", 0);
  CHECK(changes == 1);
  CHECK_FALSE(doc.isValid());
  CHECK_FALSE(doc.validSpec().has_value());
  CHECK(doc.errorText() == "layer 'dense_2': layers[1].units must be >= 1, got 0");
  CHECK(doc.errorPath() == "layers[1].units");
  CHECK(doc.fieldError(1, "units") == doc.errorText());
  CHECK(doc.layerError(1) == doc.errorText());
  CHECK(doc.fieldError(1, "activation").isEmpty());
  CHECK(doc.fieldError(0, "units").isEmpty());
  CHECK(doc.topFieldError("name").isEmpty());
  // The layer before the broken one keeps its shape; the totals wait for a valid spec.
  REQUIRE(doc.rows().size() == 1);
  CHECK(doc.rows()[0].outputShape == "[128]");
  CHECK(doc.totalParams() == 0);

  doc.undoStack()->undo();
  CHECK(doc.isValid());
  CHECK(doc.errorText().isEmpty());
  CHECK(doc.totalParams() == kPaperDnn2x128Params);

  doc.undoStack()->redo();
  CHECK_FALSE(doc.isValid());
  CHECK(doc.fieldError(1, "units").contains("must be >= 1"));
}

TEST_CASE("Top-level fields: paths map to messages; optimizer type drops fields it does not take", "[builder]") {
  SpecDocument doc;
  applyPaperDnn(doc);

  doc.setTopField("input.shape", json::array({784, 0}));
  CHECK(doc.errorPath() == "input.shape[1]");
  CHECK(doc.topFieldError("input.shape").contains("must be >= 1"));
  CHECK(doc.topFieldError("input").contains("must be >= 1"));
  CHECK(doc.topFieldError("loss").isEmpty());
  doc.undoStack()->undo();

  doc.setTopField("optimizer.learning_rate", 0.0);
  CHECK(doc.topFieldError("optimizer.learning_rate").startsWith("optimizer.learning_rate must be > 0"));
  doc.setTopField("optimizer.learning_rate", 0.05);  // the same field: merged into one undo step
  CHECK(doc.isValid());
  CHECK(doc.specJson()["optimizer"]["learning_rate"] == 0.05);

  doc.setTopField("optimizer.type", "momentum");
  doc.setTopField("optimizer.momentum", 0.5);
  CHECK(doc.isValid());
  doc.setTopField("optimizer.type", "adam");
  CHECK(doc.isValid());  // "momentum" does not apply to adam and is gone
  CHECK(doc.specJson()["optimizer"] == json({{"type", "adam"}, {"learning_rate", 0.05}}));

  doc.setTopField("loss", "mean_squared_error");
  CHECK(doc.validSpec()->loss == Loss::mean_squared_error);
  doc.setTopField("name", "bad name!");
  CHECK(doc.topFieldError("name").contains("is invalid"));
  doc.setTopField("name", nullptr);  // no name: core's default
  CHECK(doc.isValid());
  CHECK_FALSE(doc.specJson().contains("name"));

  // A layer-level message (no field) belongs to the layer, not to a field.
  doc.setTopField("input.shape", json::array({28, 28}));
  CHECK(doc.isValid());  // dense acts on the last axis
  doc.setLayerField(0, "type", "conv2d");
  CHECK(doc.layerError(0).contains("conv2d needs an input [height, width, channels], got [28, 28]"));
  CHECK(doc.fieldError(0, "filters").isEmpty());
}

TEST_CASE("Add, remove and move layers, each undoable", "[builder]") {
  SpecDocument doc;
  applyPaperDnn(doc);
  const json original = doc.specJson();
  auto names = [&] { return doc.layerNames(); };

  json dropout = ui::newLayerJson("dropout");
  CHECK(dropout == json({{"type", "dropout"}, {"rate", 0.2}}));
  dropout["name"] = doc.unusedLayerName("dropout").toStdString();
  doc.addLayer(1, dropout);
  CHECK(names() == QStringList{"dense_1", "dropout_1", "dense_2", "dense_3"});
  CHECK(doc.isValid());
  CHECK(doc.rows()[1].params == 0);
  CHECK(doc.rows()[1].outputShape == "[128]");
  CHECK(doc.totalParams() == kPaperDnn2x128Params);

  doc.moveLayer(1, 3);
  CHECK(names() == QStringList{"dense_1", "dense_2", "dense_3", "dropout_1"});
  doc.removeLayer(0);
  CHECK(names() == QStringList{"dense_2", "dense_3", "dropout_1"});
  CHECK(doc.rows()[0].params == 784 * 128 + 128);

  doc.undoStack()->undo();
  CHECK(names() == QStringList{"dense_1", "dense_2", "dense_3", "dropout_1"});
  doc.undoStack()->undo();
  CHECK(names() == QStringList{"dense_1", "dropout_1", "dense_2", "dense_3"});
  doc.undoStack()->undo();
  CHECK(doc.specJson() == original);
  doc.undoStack()->redo();
  CHECK(names() == QStringList{"dense_1", "dropout_1", "dense_2", "dense_3"});

  CHECK_THROWS_AS(doc.removeLayer(4), std::out_of_range);
  CHECK_THROWS_AS(doc.addLayer(5, dropout), std::out_of_range);
  CHECK_THROWS_AS(doc.moveLayer(0, 4), std::out_of_range);

  // Removing every layer is allowed; the validator explains what is wrong.
  while (doc.layerCount() > 0) doc.removeLayer(0);
  CHECK(doc.errorText() == "layers must not be empty");
  CHECK(doc.topFieldError("layers") == doc.errorText());
}

TEST_CASE("Changing a layer's type keeps what applies and renames default names", "[builder]") {
  SpecDocument doc;
  applyPaperDnn(doc);
  doc.setLayerField(1, "type", "dropout");
  CHECK(doc.specJson()["layers"][1] == json({{"type", "dropout"}, {"name", "dropout_1"}, {"rate", 0.2}}));
  CHECK(doc.isValid());
  doc.setLayerField(1, "type", "activation");
  CHECK(doc.specJson()["layers"][1] ==
        json({{"type", "activation"}, {"name", "activation_1"}, {"activation", "relu"}}));
  doc.setLayerField(1, "name", "custom");
  doc.setLayerField(1, "type", "dense");
  CHECK(doc.specJson()["layers"][1] ==
        json({{"type", "dense"}, {"name", "custom"}, {"units", 64}, {"activation", "relu"}}));
  CHECK(doc.isValid());
  CHECK(doc.rows()[1].params == 128 * 64 + 64);
  doc.setLayerField(1, "type", "conv9d");
  CHECK(doc.fieldError(1, "type").contains("unknown layer type 'conv9d'"));
}

TEST_CASE("Every layer type of core has a field table, and a new layer of each is valid where it fits",
          "[builder]") {
  CHECK(ui::layerTypeNames() == allLayerTypes());
  for (const QString& type : ui::layerTypeNames()) {
    CHECK_FALSE(ui::layerFieldsOf(type).isEmpty());
    CHECK(ui::layerFieldsOf(type).first().key == "name");
  }
  // The merges need a graph's named inputs: a chain is not offered them.
  CHECK(ui::chainLayerTypeNames() == allLayerTypes().mid(0, allLayerTypes().indexOf("add")));
  for (const QString& type : ui::chainLayerTypeNames()) {
    INFO(type.toStdString());
    SpecDocument doc;
    doc.load(layerContextSpec(type));
    REQUIRE(doc.isValid());
    const Shape input = layerContextInput(type).get<Shape>();
    json layer = ui::newLayerJson(type, &input);
    layer["name"] = doc.unusedLayerName(type).toStdString();  // "dropout_1" is taken
    const int index = layerContextIndex(type);
    doc.addLayer(index, layer);
    INFO(doc.errorText().toStdString());
    CHECK(doc.isValid());
    // Each field's core default is what core fills in when the key is absent.
    for (const ui::LayerField& field : ui::layerFieldsOf(type)) {
      if (field.key == "name" || field.coreDefault.is_null()) continue;
      INFO(field.key.toStdString());
      json bare = layer;
      bare.erase(field.key.toStdString());
      json withDefault = bare;
      withDefault[field.key.toStdString()] = field.coreDefault;
      json spec = doc.specJson();
      spec["layers"][index] = bare;
      const ModelSpec fromBare = parse_model_spec(spec);
      spec["layers"][index] = withDefault;
      CHECK(model_spec_to_json(parse_model_spec(spec)) == model_spec_to_json(fromBare));
    }
  }
}

TEST_CASE("New layers start as documented: conv2d 8 filters 5x5 relu, lstm 64 units, 2x2 pooling", "[builder]") {
  CHECK(ui::newLayerJson("conv2d") ==
        json({{"type", "conv2d"}, {"filters", 8}, {"kernel_size", {5, 5}}, {"activation", "relu"}}));
  CHECK(ui::newLayerJson("max_pooling2d") == json({{"type", "max_pooling2d"}, {"pool_size", {2, 2}}}));
  CHECK(ui::newLayerJson("lstm") == json({{"type", "lstm"}, {"units", 64}, {"return_sequences", false}}));
  CHECK(ui::newLayerJson("flatten") == json({{"type", "flatten"}}));
  const Shape input = {12, 12, 8};
  CHECK(ui::newLayerJson("reshape", &input) == json({{"type", "reshape"}, {"target_shape", {12, 12, 8}}}));
  CHECK(ui::newLayerJson("reshape") == json({{"type", "reshape"}}));
}

TEST_CASE("Integer lists read as typed; a single size stands for a square", "[builder]") {
  CHECK(ui::integerListFromText("5, 5") == json({5, 5}));
  CHECK(ui::integerListFromText("[3 4]") == json({3, 4}));
  CHECK(ui::integerListFromText("3", 2) == json({3, 3}));
  CHECK(ui::integerListFromText("784") == json::array({784}));
  CHECK(ui::integerListFromText("7, x") == json({7, "x"}));  // the validator names it
  CHECK(ui::integerListFromText("  ").is_null());
  CHECK(ui::integerListText(json({5, 5})) == "5, 5");
  CHECK(ui::integerListText(json(3)) == "3");
  CHECK(ui::integerListText(json()).isEmpty());
}

TEST_CASE("A pooling layer's strides default to its pool size", "[builder]") {
  const QVector<ui::LayerField>& fields = ui::layerFieldsOf("max_pooling2d");
  auto strides = std::find_if(fields.begin(), fields.end(), [](const ui::LayerField& f) { return f.key == "strides"; });
  REQUIRE(strides != fields.end());
  CHECK(ui::layerFieldValue({{"type", "max_pooling2d"}}, *strides) == json({2, 2}));
  CHECK(ui::layerFieldValue({{"type", "max_pooling2d"}, {"pool_size", {3, 3}}}, *strides) == json({3, 3}));
  CHECK(ui::layerFieldValue({{"type", "max_pooling2d"}, {"pool_size", {3, 3}}, {"strides", {1, 1}}}, *strides) ==
        json({1, 1}));
}

TEST_CASE("The paper CNN and RNN presets are offered; paper-rnn can be built for the loaded text", "[builder]") {
  SpecDocument doc;
  doc.applyPreset("paper-cnn", 2, 8);
  REQUIRE(doc.isValid());
  CHECK(doc.specJson()["input"]["shape"] == json({28, 28, 1}));
  CHECK(doc.rows()[0].outputShape == "[24, 24, 8]");

  doc.applyPreset("paper-rnn", 1, 32);
  REQUIRE(doc.isValid());
  CHECK(doc.specJson()["input"]["shape"] == json({40, 96}));  // core's defaults
  doc.applyPreset("paper-rnn", 1, 32, SpecDocument::TextShape{25, 71});
  REQUIRE(doc.isValid());
  CHECK(doc.specJson()["input"]["shape"] == json({25, 71}));
  CHECK(doc.specJson()["layers"].back()["units"] == 71);
  // The text applies to paper-rnn only.
  doc.applyPreset("paper-dnn", 1, 32, SpecDocument::TextShape{25, 71});
  CHECK(doc.specJson()["input"]["shape"] == json({784}));
  doc.undoStack()->undo();
  CHECK(doc.specJson()["input"]["shape"] == json({25, 71}));
}

TEST_CASE("Save then open gives the same spec, as one undo step; load clears the undo history", "[builder]") {
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  const QString path = dir.filePath("spec.json");
  SpecDocument doc;
  applyPaperDnn(doc);
  doc.setLayerField(0, "activation", "tanh");
  doc.saveSpec(path);

  SpecDocument other;
  other.setLayerField(0, "units", 3);
  other.openSpec(path);
  CHECK(other.specJson() == doc.specJson());
  CHECK(other.totalParams() == doc.totalParams());
  // Opening is one undo step: the edit before it comes back.
  CHECK(other.undoStack()->count() == 2);
  CHECK(other.undoStack()->undoText() == "Open spec.json");
  other.undoStack()->undo();
  CHECK(other.specJson()["layers"][0]["units"] == 3);
  other.undoStack()->redo();
  other.load(other.specJson());
  CHECK(other.undoStack()->count() == 0);

  // An invalid spec is not saved, and the file on disk is left as it was.
  doc.setLayerField(0, "units", 0);
  CHECK_THAT(whatOf([&] { doc.saveSpec(path); }), Catch::Contains(path.toStdString()) && Catch::Contains("invalid"));
  other.openSpec(path);
  CHECK(other.isValid());
}

TEST_CASE("A missing or corrupt spec file gives an error naming the file", "[builder]") {
  QTemporaryDir dir;
  const QString corrupt = dir.filePath("corrupt.json");
  writeText(corrupt, "{\"format\": \"gapscope.model/1\", \"layers\": [");
  SpecDocument doc;
  const json before = doc.specJson();
  CHECK_THAT(whatOf([&] { doc.openSpec(corrupt); }), Catch::Contains(corrupt.toStdString()));
  CHECK_THAT(whatOf([&] { doc.openSpec(dir.filePath("missing.json")); }), Catch::Contains("missing.json"));
  const QString wrong = dir.filePath("wrong.json");
  writeText(wrong,
            R"({"format": "gapscope.model/1", "input": {"shape": [4]}, "layers": [{"type": "dense", "units": 0}]})");
  CHECK_THAT(whatOf([&] { doc.openSpec(wrong); }),
             Catch::Contains(wrong.toStdString()) && Catch::Contains("layers[0].units must be >= 1"));
  CHECK(doc.specJson() == before);
}

TEST_CASE("A TF.js model.json imports with its weights; a corrupt one names the file", "[builder]") {
  QTemporaryDir dir;
  const QString path = dir.filePath("model.json");
  ModelFile model = savedPaperDnn(path);

  SpecDocument doc;
  CHECK(doc.importTfjs(path).isEmpty());
  REQUIRE(doc.isValid());
  CHECK(doc.specJson() == model_spec_to_json(model.spec));
  CHECK(doc.totalParams() == 784 * 16 + 16 + 16 * 10 + 10);
  REQUIRE(doc.importedWeights().has_value());
  CHECK(doc.importedWeights()->size() == 4);
  CHECK(doc.importedWeights()->at(0).values.at(0) == 0.5f);

  // Weights follow the spec: gone while they do not fit, back after undo.
  doc.setLayerField(0, "units", 17);
  CHECK_FALSE(doc.importedWeights().has_value());
  doc.undoStack()->undo();
  CHECK(doc.importedWeights().has_value());
  doc.load(doc.specJson());
  CHECK_FALSE(doc.importedWeights().has_value());

  const QString corrupt = dir.filePath("corrupt_model.json");
  writeText(corrupt, "{\"modelTopology\": {\"class_name\": ");
  CHECK_THAT(whatOf([&] { doc.importTfjs(corrupt); }), Catch::Contains(corrupt.toStdString()));
  CHECK_THAT(whatOf([&] { doc.importTfjs(dir.filePath("nothing.json")); }), Catch::Contains("nothing.json"));

  // Weights a diverged training run saved: NaN everywhere it computes, so refused by name.
  model.weights[1].values[2] = std::numeric_limits<float>::quiet_NaN();
  const QString nan = dir.filePath("nan/model.json");
  QDir().mkpath(dir.filePath("nan"));
  save_model(nan.toStdString(), model, ModelFormat::tfjs_layers);
  const json before = doc.specJson();
  CHECK_THAT(
      whatOf([&] { doc.importTfjs(nan); }),
      Catch::Contains(nan.toStdString()) && Catch::Contains("weight '" + model.weights[1].name + "' value 2 is NaN"));
  CHECK(doc.specJson() == before);
}

}  // namespace
}  // namespace gapscope::test
