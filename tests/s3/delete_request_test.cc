#include "s3/delete_request.h"

#include <gtest/gtest.h>

namespace stratus::s3 {
namespace {

ErrorCode CodeOf(std::string_view body) {
  auto parsed = ParseDeleteRequest(body);
  return parsed ? ErrorCode::kOk : parsed.error().code();
}

std::string Objects(size_t count) {
  std::string xml = "<Delete>";
  for (size_t i = 0; i < count; ++i)
    xml += "<Object><Key>k" + std::to_string(i) + "</Key></Object>";
  return xml + "</Delete>";
}

TEST(DeleteObjectsXmlTest, ParsesKeysVersionsAndQuiet) {
  auto request = ParseDeleteRequest(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Object><Key>a b/c</Key></Object>
  <Object><Key>x&amp;y</Key><VersionId>null</VersionId></Object>
  <Quiet>true</Quiet>
</Delete>)");
  ASSERT_TRUE(request) << request.error().ToString();
  EXPECT_TRUE(request->quiet);
  ASSERT_EQ(request->objects.size(), 2u);
  EXPECT_EQ(request->objects[0].key, "a b/c");
  EXPECT_FALSE(request->objects[0].version_id);
  EXPECT_EQ(request->objects[1].key, "x&y");
  EXPECT_EQ(request->objects[1].version_id, "null");

  auto loud = ParseDeleteRequest("<Delete><Quiet>false</Quiet>" + Objects(1).substr(8));
  ASSERT_TRUE(loud);
  EXPECT_FALSE(loud->quiet);
}

// Found with tests/fuzz/tag_set_fuzz, which showed pugixml dropping whitespace-only text: the
// key " " (a valid key) was read as "".
TEST(DeleteObjectsXmlTest, KeepsWhitespaceOnlyKeys) {
  auto request = ParseDeleteRequest(
      "<Delete>\n  <Object><Key> </Key></Object>\n  <Object>\n    <Key>\t\t</Key>\n  </Object>\n"
      "</Delete>\n");
  ASSERT_TRUE(request) << request.error().ToString();
  ASSERT_EQ(request->objects.size(), 2u);
  EXPECT_EQ(request->objects[0].key, " ");
  EXPECT_EQ(request->objects[1].key, "\t\t");
}

TEST(DeleteObjectsXmlTest, RefusesGarbage) {
  for (std::string_view body :
       {"", "garbage", "<Delete>", "<Other><Object><Key>k</Key></Object></Other>", "<Delete/>",
        "<Delete><Quiet>yes</Quiet><Object><Key>k</Key></Object></Delete>", "\xff\xfe<Delete>"}) {
    EXPECT_EQ(CodeOf(body), ErrorCode::kMalformedXML) << body;
  }
}

// pugixml would end the key at the NUL: "a&#x0;b" must not delete "a".
TEST(DeleteObjectsXmlTest, RefusesANulInAKey) {
  for (std::string_view key : {"a&#x0;b", "a&#0;b", "a&#X0000;b", "a&#000;"}) {
    const std::string body =
        "<Delete><Object><Key>" + std::string(key) + "</Key></Object></Delete>";
    EXPECT_EQ(CodeOf(body), ErrorCode::kMalformedXML) << key;
  }
  EXPECT_EQ(CodeOf(std::string("<Delete><Object><Key>a") + '\0' + "b</Key></Object></Delete>"),
            ErrorCode::kMalformedXML);
  // References to other characters are keys like any other.
  auto request =
      ParseDeleteRequest("<Delete><Object><Key>a&#x10;b&#10;&#x30;</Key></Object></Delete>");
  ASSERT_TRUE(request) << request.error().ToString();
  EXPECT_EQ(request->objects[0].key,
            "a\x10"
            "b\n0");
}

TEST(DeleteObjectsXmlTest, RefusesAnObjectWithoutKey) {
  EXPECT_EQ(CodeOf("<Delete><Object><Key>a</Key></Object><Object><VersionId>null</VersionId>"
                   "</Object></Delete>"),
            ErrorCode::kMalformedXML);
}

TEST(DeleteObjectsXmlTest, AtMostAThousandKeys) {
  EXPECT_EQ(CodeOf(Objects(1000)), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(Objects(1001)), ErrorCode::kMalformedXML);
}

}  // namespace
}  // namespace stratus::s3
