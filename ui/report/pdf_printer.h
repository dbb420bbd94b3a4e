// Prints an HTML report to PDF with Chromium (QtWebEngine), so the PDF is the
// same page as the HTML: inline SVG charts, print CSS, A4. Works headless
// (offscreen). Needs a QApplication.
#pragma once
#include <chrono>
#include <string>

namespace gapscope::ui {

// Blocks in a local event loop until the PDF is written. Chromium prints into
// a scratch folder; the PDF is then written atomically like every output
// (core/base/atomic_file.h: complete or not at all, never over a device or
// FIFO). Throws std::runtime_error naming the path when loading or printing
// fails or takes longer than `timeout`, FileWriteError when writing fails.
void print_html_to_pdf(const std::string& html, const std::string& pdf_path,
                       std::chrono::seconds timeout = std::chrono::seconds(180));

}  // namespace gapscope::ui
