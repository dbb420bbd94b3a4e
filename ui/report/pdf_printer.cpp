#include "ui/report/pdf_printer.h"

#include <stdexcept>

#include <QEventLoop>
#include <QFile>
#include <QMarginsF>
#include <QPageLayout>
#include <QPageSize>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <QWebEnginePage>
#include <QWebEngineProfile>

#include "core/base/atomic_file.h"

namespace gapscope::ui {

namespace {

// Far above any report (a large sweep's is a few MiB).
constexpr int64_t kMaxPdfBytes = 1LL << 30;

}  // namespace

void print_html_to_pdf(const std::string& html, const std::string& pdf_path, std::chrono::seconds timeout) {
  auto fail = [&](const std::string& why) { throw std::runtime_error("PDF " + pdf_path + ": " + why); };
  // Loaded from a file rather than setHtml(), which refuses pages over 2 MB
  // (a large sweep's report can be bigger).
  QTemporaryDir scratch;
  if (!scratch.isValid()) fail("no temporary directory: " + scratch.errorString().toStdString());
  const QString page_path = scratch.filePath("report.html");
  write_file_atomically(page_path.toStdString(), html);

  QWebEngineProfile profile;  // off the record: nothing of the report stays on disk
  QWebEnginePage page(&profile);
  QEventLoop loop;
  QTimer deadline;
  deadline.setSingleShot(true);
  QObject::connect(&deadline, &QTimer::timeout, &loop, [&] { loop.exit(2); });
  QObject::connect(&page, &QWebEnginePage::loadFinished, &loop, [&](bool ok) { loop.exit(ok ? 0 : 1); });
  deadline.start(std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
  page.load(QUrl::fromLocalFile(page_path));
  const int loaded = loop.exec();
  if (loaded == 1) fail("Chromium could not load the report page");
  if (loaded == 2) fail("the report page did not load within " + std::to_string(timeout.count()) + " s");

  const QString printed_path = scratch.filePath("report.pdf");
  QObject::connect(&page, &QWebEnginePage::pdfPrintingFinished, &loop,
                   [&](const QString&, bool ok) { loop.exit(ok ? 0 : 1); });
  page.printToPdf(printed_path, QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(12, 12, 12, 12),
                                       QPageLayout::Millimeter));
  const int printed = loop.exec();
  if (printed != 0 || !QFile::exists(printed_path) || QFile(printed_path).size() == 0)
    fail(printed == 2 ? "printing took longer than " + std::to_string(timeout.count()) + " s"
                      : "Chromium could not print it (is the temporary folder writable and the disk not full?)");
  write_file_atomically(pdf_path, read_file_limited(printed_path.toStdString(), kMaxPdfBytes));
}

}  // namespace gapscope::ui
