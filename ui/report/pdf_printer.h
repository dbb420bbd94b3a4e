// Prints an HTML report to PDF with Chromium (QtWebEngine), so the PDF is the
// same page as the HTML: inline SVG charts, print CSS, A4. Works headless
// (offscreen). Needs a QApplication.
#pragma once
#include <chrono>
#include <string>

namespace gapscope::ui {

// Blocks in a local event loop until the PDF is written. The file appears
// complete or not at all (printed beside it, then renamed). Throws
// std::runtime_error naming the path when loading or printing fails or takes
// longer than `timeout`.
void print_html_to_pdf(const std::string& html, const std::string& pdf_path,
                       std::chrono::seconds timeout = std::chrono::seconds(180));

}  // namespace gapscope::ui
