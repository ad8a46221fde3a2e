#include "s3/xml.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>

namespace stratus::s3 {
namespace {

// A character reference to NUL: "&#" then decimal digits, or 'x' and hex digits, all zeros.
bool HasNulReference(std::string_view body) {
  for (size_t at = body.find("&#"); at != std::string_view::npos; at = body.find("&#", at + 2)) {
    size_t i = at + 2;
    const bool hex = i < body.size() && (body[i] == 'x' || body[i] == 'X');
    if (hex) ++i;
    const size_t digits_start = i;
    bool all_zero = true;
    while (i < body.size() && (hex ? std::isxdigit(static_cast<unsigned char>(body[i])) != 0
                                   : std::isdigit(static_cast<unsigned char>(body[i])) != 0)) {
      all_zero = all_zero && body[i] == '0';
      ++i;
    }
    if (i > digits_start && all_zero) return true;
  }
  return false;
}

// Whether every '&' outside CDATA sections and comments starts a reference XML knows without a
// DTD: a character reference or one of the five predefined entities. pugixml keeps any other
// "&name;" as literal text, which would store what a DTD-aware parser expands differently.
bool OnlyPredefinedReferences(std::string_view body) {
  static constexpr std::string_view kPredefined[] = {"lt;", "gt;", "amp;", "apos;", "quot;"};
  for (size_t at = 0; at < body.size(); ++at) {
    if (body.substr(at, 9) == "<![CDATA[" || body.substr(at, 4) == "<!--") {
      size_t end = body.find(body[at + 2] == '[' ? "]]>" : "-->", at);
      if (end == std::string_view::npos) return true;  // unterminated: the parser refuses it
      at = end;
      continue;
    }
    if (body[at] != '&') continue;
    std::string_view rest = body.substr(at + 1);
    if (std::any_of(std::begin(kPredefined), std::end(kPredefined),
                    [&](std::string_view name) { return rest.starts_with(name); })) {
      continue;
    }
    size_t i = 0;
    if (i >= rest.size() || rest[i++] != '#') return false;
    const bool hex = i < rest.size() && rest[i] == 'x';
    if (hex) ++i;
    const size_t digits_start = i;
    while (i < rest.size() && (hex ? std::isxdigit(static_cast<unsigned char>(rest[i])) != 0
                                   : std::isdigit(static_cast<unsigned char>(rest[i])) != 0)) {
      ++i;
    }
    if (i == digits_start || i >= rest.size() || rest[i] != ';') return false;
  }
  return true;
}

}  // namespace

Status LoadRequestXml(pugi::xml_document& doc, std::string_view body, unsigned options) {
  if (body.find('\0') != std::string_view::npos || HasNulReference(body)) {
    return Status(ErrorCode::kMalformedXML);
  }
  if (!OnlyPredefinedReferences(body)) return Status(ErrorCode::kMalformedXML);
  // S3 refuses a document type declaration (and so any entity declared in one): parse it as a
  // node to see it, where pugixml would skip it silently.
  if (!doc.load_buffer(body.data(), body.size(), options | pugi::parse_doctype)) {
    return Status(ErrorCode::kMalformedXML);
  }
  for (pugi::xml_node node : doc.children()) {
    if (node.type() == pugi::node_doctype) return Status(ErrorCode::kMalformedXML);
  }
  return Status::Ok();
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Keys may hold control characters; S3 writes them as character references.
        if (u < 0x20 && c != '\t') {
          out += fmt::format("&#x{:X};", u);
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

XmlWriter::XmlWriter(std::string_view root, bool with_namespace) {
  out_ = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  out_ += '\n';
  out_ += '<';
  out_ += root;
  if (with_namespace) out_ += R"( xmlns="http://s3.amazonaws.com/doc/2006-03-01/")";
  out_ += '>';
  open_.emplace_back(root);
}

XmlWriter& XmlWriter::Open(std::string_view name) {
  out_ += '<';
  out_ += name;
  out_ += '>';
  open_.emplace_back(name);
  return *this;
}

XmlWriter& XmlWriter::Close() {
  out_ += "</";
  out_ += open_.back();
  out_ += '>';
  open_.pop_back();
  return *this;
}

XmlWriter& XmlWriter::Element(std::string_view name, std::string_view text) {
  out_ += '<';
  out_ += name;
  out_ += '>';
  out_ += XmlEscape(text);
  out_ += "</";
  out_ += name;
  out_ += '>';
  return *this;
}

std::string XmlWriter::Finish() {
  while (!open_.empty()) Close();
  return std::move(out_);
}

}  // namespace stratus::s3
