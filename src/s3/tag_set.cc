#include "s3/tag_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <pugixml.hpp>

#include "http/request.h"
#include "s3/names.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

// Unicode characters (code points) of valid UTF-8.
size_t CodePoints(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// A query-string component: '+' is a space, then percent escapes.
std::optional<std::string> DecodeQueryComponent(std::string_view text) {
  std::string plus_decoded(text);
  std::replace(plus_decoded.begin(), plus_decoded.end(), '+', ' ');
  return http::PercentDecode(plus_decoded);
}

}  // namespace

Result<TagSet> ParseTaggingHeader(std::string_view value, size_t max_tags) {
  TagSet tags;
  while (!value.empty()) {
    size_t amp = value.find('&');
    std::string_view pair = value.substr(0, amp);
    value = amp == std::string_view::npos ? std::string_view() : value.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto key = DecodeQueryComponent(pair.substr(0, eq));
    auto tag_value = DecodeQueryComponent(eq == std::string_view::npos ? std::string_view()
                                                                       : pair.substr(eq + 1));
    if (!key || !tag_value) {
      return Error(ErrorCode::kInvalidArgument,
                   "The header 'x-amz-tagging' shall be encoded as "
                   "UTF-8 then URLEncoded URL query parameters "
                   "without tag name duplicates.");
    }
    tags.emplace_back(std::move(*key), std::move(*tag_value));
  }
  RETURN_IF_ERROR(ValidateTags(tags, max_tags));
  return tags;
}

Result<TagSet> ParseTaggingXml(std::string_view body, size_t max_tags) {
  pugi::xml_document doc;
  // parse_ws_pcdata: whitespace is text like any other, a value of " " is " " (pugixml drops
  // whitespace-only text by default), so the document TaggingXml answers with reads back alike.
  RETURN_IF_ERROR(LoadRequestXml(doc, body, pugi::parse_default | pugi::parse_ws_pcdata));
  pugi::xml_node tag_set = doc.child("Tagging").child("TagSet");
  if (!tag_set) return Error(ErrorCode::kMalformedXML);
  TagSet tags;
  for (pugi::xml_node tag : tag_set.children()) {
    if (tag.type() != pugi::node_element) continue;
    pugi::xml_node key = tag.child("Key");
    pugi::xml_node value = tag.child("Value");
    if (std::string_view(tag.name()) != "Tag" || !key || !value) {
      return Error(ErrorCode::kMalformedXML);
    }
    tags.emplace_back(key.child_value(), value.child_value());
  }
  RETURN_IF_ERROR(ValidateTags(tags, max_tags));
  return tags;
}

Status ValidateTags(const TagSet& tags, size_t max_tags) {
  if (tags.size() > max_tags) {
    return Status(ErrorCode::kInvalidTag,
                  max_tags == kMaxObjectTags
                      ? "Object tags cannot be greater than 10"
                      : fmt::format("Bucket tag count cannot be greater than {}", max_tags));
  }
  for (size_t i = 0; i < tags.size(); ++i) {
    const auto& [key, value] = tags[i];
    if (!IsValidUtf8(key) || key.empty() || CodePoints(key) > kMaxTagKeyChars) {
      return Status(ErrorCode::kInvalidTag, "The TagKey you have provided is invalid");
    }
    if (!IsValidUtf8(value) || CodePoints(value) > kMaxTagValueChars) {
      return Status(ErrorCode::kInvalidTag, "The TagValue you have provided is invalid");
    }
    if (key.starts_with("aws:")) {
      return Status(ErrorCode::kInvalidTag, "Your TagKey cannot be prefixed with aws:");
    }
    for (size_t j = 0; j < i; ++j) {
      if (tags[j].first == key) {
        return Status(ErrorCode::kInvalidTag, "Cannot provide multiple Tags with the same key");
      }
    }
  }
  return Status::Ok();
}

std::string TaggingXml(const TagSet& tags) {
  XmlWriter xml("Tagging");
  xml.Open("TagSet");
  for (const auto& [key, value] : tags) {
    xml.Open("Tag").Element("Key", key).Element("Value", value).Close();
  }
  return xml.Finish();
}

}  // namespace stratus::s3
