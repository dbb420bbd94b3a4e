#include "ui/data/text_preview.h"

#include <QStringList>
#include <algorithm>
#include <cstdint>
#include <vector>

namespace gapscope::ui {
namespace {

QString visible_text(QString text) {
  text.replace('\n', QChar(0x23CE));  // ⏎
  text.replace('\t', QChar(0x21E5));  // ⇥
  return text;
}

}  // namespace

QString visible_character(const QString& character) {
  return character == " " ? QString(QChar(0x2423)) : visible_text(character);  // ␣
}

QString text_preview(const Dataset& data, const TextCorpus& corpus, int count) {
  if (data.one_hot_depth <= 0 || data.sample_shape.empty()) return {};
  const int64_t window = data.stored_per_sample();
  const int64_t shown = std::min<int64_t>(count, data.count());
  const auto vocabulary = static_cast<int64_t>(corpus.vocabulary.size());
  QStringList lines;
  std::vector<int32_t> ids(static_cast<size_t>(window));
  for (int64_t i = 0; i < shown; ++i) {
    const float* stored = data.features.data() + i * window;
    std::transform(stored, stored + window, ids.begin(), [](float id) { return static_cast<int32_t>(id); });
    const int32_t next = data.labels[static_cast<size_t>(i)];
    // A dataset from another corpus would decode to nonsense or throw: say so instead.
    const bool fits = next >= 0 && next < vocabulary &&
                      std::all_of(ids.begin(), ids.end(), [&](int32_t id) { return id >= 0 && id < vocabulary; });
    if (!fits) return {};
    const QString text = QString::fromStdString(corpus.decode(ids));
    const QString target = QString::fromStdString(corpus.decode(std::vector<int32_t>{next}));
    lines << visible_text(text) + QString::fromUtf8("  \u2192  ") + visible_character(target);
  }
  return lines.join('\n');
}

}  // namespace gapscope::ui
