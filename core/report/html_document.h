// A self-contained HTML page built piece by piece: embedded CSS that prints
// well on A4 (Chromium prints the PDF from it), inline SVG figures, no script
// and nothing fetched from elsewhere. Text is always escaped, except what
// raw_html is given.
#pragma once
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace gapscope {

struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric_columns;  // right-aligned; may be shorter than header
};

class HtmlDocument {
 public:
  explicit HtmlDocument(std::string title);

  // Level 1 to 6 (others are clamped). Level-2 headings with an id go into
  // the table of contents at the top. An id already used gets "-2", "-3"...
  void heading(int level, const std::string& text, const std::string& id = "");
  void paragraph(const std::string& text);
  void bullet_list(const std::vector<std::string>& items);
  void preformatted(const std::string& text);
  void table(const Table& t);
  // svg is inserted as it is (it comes from render_svg or render_tree_svg).
  void figure(const std::string& svg, const std::string& caption);
  void raw_html(const std::string& html);
  void definition_list(const std::vector<std::pair<std::string, std::string>>& items);

  std::string html() const;
  const std::string& title() const { return title_; }

 private:
  std::string title_;
  std::string body_;
  std::vector<std::pair<std::string, std::string>> contents_;  // id, text
  std::set<std::string> ids_;
};

}  // namespace gapscope
