// One check box per backend, labelled with what it really is ("TF.js 4.22.0
// wasm: SIMD on, threads on (1 thread)", the WebGL renderer, the native SIMD
// level); a backend that cannot run here is disabled with the reason as its
// tooltip. Browser backends are probed one at a time through the shared
// BrowserSession (a capability query activates the backend: the only way to
// know it works).
#pragma once
#include <map>
#include <string>
#include <vector>

#include <QCheckBox>
#include <QLabel>
#include <QStringList>
#include <QWidget>

namespace gapscope::browser {
class BrowserSession;
}

QT_BEGIN_NAMESPACE
class QProcess;
QT_END_NAMESPACE

namespace gapscope::ui {

class BackendsPanel : public QWidget {
  Q_OBJECT
 public:
  BackendsPanel(browser::BrowserSession* session, QWidget* parent = nullptr);
  ~BackendsPanel() override;
  std::vector<std::string> checkedBackends() const;
  void setChecked(const std::vector<std::string>& backends);
  QCheckBox* checkBox(const QString& backend) const;
  QString description(const QString& backend) const;
  // Browser probes or the PyTorch one still running (a run waits for them: the
  // probe's Python would compete with it for the cores).
  bool probing() const { return !pending_.isEmpty() || probing_ || torch_probe_ != nullptr; }
  // Starts the capability queries (again); the panel updates as they answer.
  void probe();

 Q_SIGNALS:
  void probed();  // every backend answered

 private:
  void probeNext();
  void setAvailability(const QString& backend, bool available, const QString& text);
  void probePyTorch();
  browser::BrowserSession* session_;
  QProcess* torch_probe_ = nullptr;  // while it runs; stopped before the maps it reports into go
  std::map<QString, QCheckBox*> boxes_;
  std::map<QString, QLabel*> labels_;
  QStringList pending_;
  bool probing_ = false;
};

}  // namespace gapscope::ui
