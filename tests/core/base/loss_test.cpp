// Loss names: Keras snake_case, TF.js camelCase and the 'mse' alias.
#include <catch2/catch.hpp>

#include "core/base/loss.h"

namespace gapscope {

TEST_CASE("loss names round-trip and accept TF.js spellings", "[nn][loss]") {
  CHECK(all_losses().size() == 4);
  for (Loss l : all_losses()) CHECK(parse_loss(loss_name(l)) == l);
  CHECK(loss_name(Loss::sparse_categorical_crossentropy) == "sparse_categorical_crossentropy");
  CHECK(parse_loss("categoricalCrossentropy") == Loss::categorical_crossentropy);
  CHECK(parse_loss("sparseCategoricalCrossentropy") == Loss::sparse_categorical_crossentropy);
  CHECK(parse_loss("binaryCrossentropy") == Loss::binary_crossentropy);
  CHECK(parse_loss("meanSquaredError") == Loss::mean_squared_error);
  CHECK(parse_loss("mse") == Loss::mean_squared_error);
  CHECK(parse_loss("MSE") == Loss::mean_squared_error);
  CHECK(parse_loss("hinge") == std::nullopt);
  CHECK(parse_loss("") == std::nullopt);
}

}  // namespace gapscope
