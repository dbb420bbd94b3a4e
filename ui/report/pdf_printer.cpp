#include "ui/report/pdf_printer.h"

#include <cstdio>
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

  const QString partial = QString::fromStdString(pdf_path) + ".partial";
  QObject::connect(&page, &QWebEnginePage::pdfPrintingFinished, &loop,
                   [&](const QString&, bool ok) { loop.exit(ok ? 0 : 1); });
  page.printToPdf(partial, QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(12, 12, 12, 12),
                                       QPageLayout::Millimeter));
  const int printed = loop.exec();
  if (printed != 0 || !QFile::exists(partial) || QFile(partial).size() == 0) {
    QFile::remove(partial);
    fail(printed == 2 ? "printing took longer than " + std::to_string(timeout.count()) + " s"
                      : "Chromium could not print it (is the directory writable and the disk not full?)");
  }
  if (std::rename(partial.toUtf8().constData(), pdf_path.c_str()) != 0) {
    QFile::remove(partial);
    fail("could not move the finished PDF into place");
  }
}

}  // namespace gapscope::ui
