// What a text dataset looks like to the model: its first windows as text, one
// a line, each with the character the model must predict next.
#pragma once
#include <QString>

#include "core/data/dataset.h"
#include "core/data/text_corpus.h"

namespace gapscope::ui {

// One line per window, "<window>  →  <next character>", for the first `count`
// samples of a text dataset (one_hot_depth > 0) whose ids index
// corpus.vocabulary. Line breaks and tabs inside a window show as ⏎ and ⇥ so
// each window stays on one line. Empty when the dataset is not text.
QString text_preview(const Dataset& data, const TextCorpus& corpus, int count = 12);

// A character as the preview shows it: ⏎ for a line break, ⇥ for a tab, ␣ for a lone space.
QString visible_character(const QString& character);

}  // namespace gapscope::ui
