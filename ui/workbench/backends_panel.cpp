#include "ui/workbench/backends_panel.h"

#include <QGridLayout>
#include <QProcess>
#include <cstdlib>
#include <memory>

#include "core/base/json_text.h"
#include "core/measure/backend_catalog.h"
#include "core/measure/capability_summary.h"
#include "core/ops/cpu/sgemm.h"
#include "core/measure/process_stats.h"
#include "gpu/vulkan/device_list.h"
#include "ui/browser/browser_session.h"
#include "ui/runs/native_process_runner.h"
#include "ui/runs/pytorch_process_runner.h"

namespace gapscope::ui {

BackendsPanel::BackendsPanel(browser::BrowserSession* session, QWidget* parent) : QWidget(parent), session_(session) {
  auto* grid = new QGridLayout(this);
  int row = 0;
  for (const std::string& id : backend_ids()) {
    const QString name = QString::fromStdString(id);
    auto* box = new QCheckBox(name, this);
    auto* label = new QLabel(tr("probing…"), this);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    grid->addWidget(box, row, 0);
    grid->addWidget(label, row, 1);
    boxes_[name] = box;
    labels_[name] = label;
    ++row;
  }
  grid->setColumnStretch(1, 1);
  grid->setRowStretch(row, 1);
  setChecked({"native-cpu", "tfjs-wasm", "tfjs-webgl"});

  // native-cpu: the child executable and what its engine will use.
  try {
    find_native_executable();
    setAvailability("native-cpu", true,
                    QString("%1 threads, %2 (%3)").arg(hardware_threads()).arg(sgemm_simd_level(),
                                                                                 QString::fromStdString(cpu_model_name())));
  } catch (const std::exception& e) {
    setAvailability("native-cpu", false, QString::fromStdString(e.what()));
  }
  // native-vulkan: the device a run would take ($GAPSCOPE_VULKAN_DEVICE or the best).
  try {
    find_native_executable();
    const char* wanted = std::getenv(gpu::kDeviceEnvironmentVariable);
    const gpu::DeviceInfo d = gpu::choose_device(gpu::list_devices(), wanted ? wanted : "");
    const QString kind = QString::fromStdString(gpu::device_kind_name(d.kind));
    setAvailability("native-vulkan", true,
                    QString("%1 (%2, Vulkan %3)%4")
                        .arg(QString::fromStdString(d.name), kind, QString::fromStdString(d.api_version),
                             d.kind == gpu::DeviceKind::software ? tr(": a CPU emulation, correct but no GPU measure")
                                                                 : QString()));
  } catch (const std::exception& e) {
    setAvailability("native-vulkan", false, QString::fromStdString(e.what()));
  }
  probePyTorch();
}

// pytorch-cpu: whether the Python it would run imports torch (a second or two,
// so in the background).
void BackendsPanel::probePyTorch() {
  try {
    find_torch_runner_script();
  } catch (const std::exception& e) {
    setAvailability("pytorch-cpu", false, QString::fromStdString(e.what()));
    return;
  }
  auto* probe = torch_probe_ = new QProcess(this);
  const QString python = find_python_for_torch();
  const auto done = [this, probe] {
    torch_probe_ = nullptr;
    probe->deleteLater();
    if (!probing()) Q_EMIT probed();
  };
  connect(probe, &QProcess::finished, this, [this, probe, python, done](int code, QProcess::ExitStatus status) {
    const QString version = QString::fromUtf8(probe->readAllStandardOutput()).trimmed();
    if (status == QProcess::NormalExit && code == 0)
      setAvailability("pytorch-cpu", true, tr("PyTorch %1 in %2, as many threads as native-cpu").arg(version, python));
    else
      setAvailability("pytorch-cpu", false, tr("%1 cannot import torch: apt install python3-torch").arg(python));
    done();
  });
  connect(probe, &QProcess::errorOccurred, this, [this, python, done](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;
    setAvailability("pytorch-cpu", false, tr("cannot start %1: apt install python3-torch").arg(python));
    done();
  });
  probe->start(python, {"-c", "import torch; print(torch.__version__)"});
}

BackendsPanel::~BackendsPanel() {
  if (!torch_probe_) return;
  torch_probe_->disconnect(this);  // its end must not report into a panel half destroyed
  torch_probe_->kill();
  torch_probe_->waitForFinished(1000);
}

std::vector<std::string> BackendsPanel::checkedBackends() const {
  std::vector<std::string> out;
  for (const std::string& id : backend_ids()) {
    QCheckBox* box = boxes_.at(QString::fromStdString(id));
    if (box->isChecked() && box->isEnabled()) out.push_back(id);
  }
  return out;
}

void BackendsPanel::setChecked(const std::vector<std::string>& backends) {
  for (auto& [name, box] : boxes_)
    box->setChecked(std::find(backends.begin(), backends.end(), name.toStdString()) != backends.end());
}

QCheckBox* BackendsPanel::checkBox(const QString& backend) const {
  auto it = boxes_.find(backend);
  return it == boxes_.end() ? nullptr : it->second;
}

QString BackendsPanel::description(const QString& backend) const {
  auto it = labels_.find(backend);
  return it == labels_.end() ? QString() : it->second->text();
}

void BackendsPanel::probe() {
  pending_.clear();
  for (const auto& id : backend_ids(BackendKind::browser)) pending_ << QString::fromStdString(id);
  if (!probing_) probeNext();
}

void BackendsPanel::probeNext() {
  if (pending_.isEmpty() || session_->busy()) {
    probing_ = false;
    if (!probing()) Q_EMIT probed();
    return;
  }
  probing_ = true;
  const QString backend = pending_.takeFirst();
  auto connection = std::make_shared<QMetaObject::Connection>();
  *connection = connect(session_, &browser::BrowserSession::finished, this,
                        [this, backend, connection](const browser::BrowserOutcome& outcome) {
                          disconnect(*connection);
                          const nlohmann::json caps =
                              outcome.ok()
                                  ? try_parse_json_text(outcome.value_json.toStdString()).value_or(nlohmann::json())
                                  : nlohmann::json();
                          if (!outcome.ok()) {
                            setAvailability(backend, false, outcome.error);
                          } else if (!caps.is_object()) {
                            setAvailability(backend, false, tr("the page answered no capabilities"));
                          } else {
                            Capabilities flat;
                            for (const auto& [key, value] : caps.items())
                              if (value.is_string()) flat[key] = value.get<std::string>();
                            if (caps.value("available", "") == "true")
                              setAvailability(backend, true,
                                              QString::fromStdString(capability_summary(backend.toStdString(), flat)));
                            else
                              setAvailability(backend, false, QString::fromStdString(caps.value("reason", "unavailable")));
                          }
                          probeNext();
                        });
  session_->queryCapabilities(backend, std::chrono::seconds(60));
}

void BackendsPanel::setAvailability(const QString& backend, bool available, const QString& text) {
  QCheckBox* box = boxes_.at(backend);
  QLabel* label = labels_.at(backend);
  box->setEnabled(available);
  label->setEnabled(available);
  label->setText(available ? text : tr("unavailable: %1").arg(text.section('\n', 0, 0)));
  box->setToolTip(available ? text : text);
  label->setToolTip(text);
}

}  // namespace gapscope::ui
