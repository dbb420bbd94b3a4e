// A minimal well-formedness check for the SVG and HTML the report writes:
// tags balance and nest, attribute values are quoted, every & starts an
// entity, no stray < in text. <style> content is skipped (CSS), as are the
// doctype and comments. Enough to catch broken escaping or a missing </g>.
#pragma once
#include <cctype>
#include <map>
#include <string>
#include <vector>

namespace report_test {

struct XmlCheck {
  bool ok = true;
  std::string error;
  std::map<std::string, int> elements;  // how many of each tag name
};

inline bool valid_entity(const std::string& text, size_t at) {
  const size_t end = text.find(';', at);
  if (end == std::string::npos || end - at > 10) return false;
  const std::string name = text.substr(at + 1, end - at - 1);
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") return true;
  if (name.size() > 1 && name[0] == '#') {
    const bool hex = name[1] == 'x';
    for (size_t i = hex ? 2 : 1; i < name.size(); ++i)
      if (!(hex ? std::isxdigit(static_cast<unsigned char>(name[i])) : std::isdigit(static_cast<unsigned char>(name[i]))))
        return false;
    return name.size() > (hex ? 2u : 1u);
  }
  return false;
}

inline XmlCheck check_xml(const std::string& text) {
  XmlCheck result;
  auto fail = [&](const std::string& why, size_t at) {
    result.ok = false;
    result.error = why + " at byte " + std::to_string(at) + ": ..." + text.substr(at > 40 ? at - 40 : 0, 100) + "...";
    return result;
  };
  std::vector<std::string> open;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '&') {
      if (!valid_entity(text, i)) return fail("bad entity", i);
      ++i;
      continue;
    }
    if (c != '<') {
      ++i;
      continue;
    }
    if (text.compare(i, 4, "<!--") == 0) {
      const size_t end = text.find("-->", i);
      if (end == std::string::npos) return fail("unclosed comment", i);
      i = end + 3;
      continue;
    }
    if (text.compare(i, 2, "<!") == 0 || text.compare(i, 2, "<?") == 0) {
      const size_t end = text.find('>', i);
      if (end == std::string::npos) return fail("unclosed declaration", i);
      i = end + 1;
      continue;
    }
    const bool closing = i + 1 < text.size() && text[i + 1] == '/';
    size_t j = i + (closing ? 2 : 1);
    const size_t name_start = j;
    while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '-' || text[j] == ':' ||
                               text[j] == '_'))
      ++j;
    const std::string name = text.substr(name_start, j - name_start);
    if (name.empty()) return fail("stray <", i);
    if (closing) {
      while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
      if (j >= text.size() || text[j] != '>') return fail("bad closing tag", i);
      if (open.empty() || open.back() != name)
        return fail("</" + name + "> closes " + (open.empty() ? std::string("nothing") : "<" + open.back() + ">"), i);
      open.pop_back();
      i = j + 1;
      continue;
    }
    // Attributes: name="value" or name='value'.
    bool self_closing = false;
    while (true) {
      while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
      if (j >= text.size()) return fail("unclosed tag", i);
      if (text[j] == '>') break;
      if (text.compare(j, 2, "/>") == 0) {
        self_closing = true;
        ++j;
        break;
      }
      const size_t attribute = j;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '-' ||
                                 text[j] == ':' || text[j] == '_'))
        ++j;
      if (j == attribute || j >= text.size() || text[j] != '=') return fail("bad attribute", j);
      const char quote = text[j + 1];
      if (quote != '"' && quote != '\'') return fail("unquoted attribute", j);
      const size_t end = text.find(quote, j + 2);
      if (end == std::string::npos) return fail("unclosed attribute", j);
      for (size_t k = j + 2; k < end; ++k) {
        if (text[k] == '<') return fail("< in attribute", k);
        if (text[k] == '&' && !valid_entity(text, k)) return fail("bad entity in attribute", k);
      }
      j = end + 1;
    }
    ++result.elements[name];
    i = j + 1;
    if (self_closing) continue;
    if (name == "style" || name == "script") {  // raw text up to its end tag
      const size_t end = text.find("</" + name, i);
      if (end == std::string::npos) return fail("unclosed <" + name + ">", i);
      i = end;
    }
    open.push_back(name);
  }
  if (!open.empty()) return fail("<" + open.back() + "> never closed", text.size());
  return result;
}

// How often needle occurs in haystack.
inline int count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
  return n;
}

}  // namespace report_test
