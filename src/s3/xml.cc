#include "s3/xml.h"

#include <fmt/format.h>

#include <cctype>

namespace stratus::s3 {

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
