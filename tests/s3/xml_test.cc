#include "s3/xml.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

namespace stratus::s3 {
namespace {

TEST(Xml, EscapesMarkupAndControlCharacters) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(XmlEscape(std::string("x\x01y", 3)), "x&#x1;y");
  EXPECT_EQ(XmlEscape("\xE2\x82\xAC"), "\xE2\x82\xAC");
}

TEST(Xml, UrlEncodeKeepsUnreservedAndSlash) {
  EXPECT_EQ(UrlEncode("a/b-c_d.e~f"), "a/b-c_d.e~f");
  EXPECT_EQ(UrlEncode("a b+c"), "a%20b%2Bc");
  EXPECT_EQ(UrlEncode(std::string("\x01\xE2\x82\xAC", 4)), "%01%E2%82%AC");
}

TEST(Xml, WriterProducesAParsableDocument) {
  XmlWriter xml("ListBucketResult");
  xml.Element("Name", "b&b").Open("Contents").Element("Key", "<k>").Close();
  std::string text = xml.Finish();
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(text.c_str()));
  pugi::xml_node root = doc.child("ListBucketResult");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://s3.amazonaws.com/doc/2006-03-01/");
  EXPECT_STREQ(root.child_value("Name"), "b&b");
  EXPECT_STREQ(root.child("Contents").child_value("Key"), "<k>");
}

TEST(Xml, LoadRequestXmlRefusesNulAndMalformedDocuments) {
  pugi::xml_document doc;
  EXPECT_TRUE(LoadRequestXml(doc, "<a>x&#1;&#x20;&amp;</a>").ok());
  EXPECT_EQ(std::string(doc.child_value("a")), "x\x01 &");
  for (std::string_view body :
       {"<a>&#0;</a>", "<a>&#x0;</a>", "<a>&#X00;</a>", "<a>x&#00", "<a>", "", "<a></b>"}) {
    EXPECT_EQ(LoadRequestXml(doc, body).code(), ErrorCode::kMalformedXML) << body;
  }
  EXPECT_EQ(LoadRequestXml(doc, std::string("<a>") + '\0' + "</a>").code(),
            ErrorCode::kMalformedXML);
}

TEST(Xml, LoadRequestXmlRefusesDtdsAndUndeclaredEntities) {
  pugi::xml_document doc;
  for (std::string_view body : {
           "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
           "<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a/>",
           "<?xml version=\"1.0\"?><!DOCTYPE a><a/>",
           "<a>&xxe;</a>",
           "<a b=\"&e;\"/>",
           "<a>& b</a>",
           "<a>&#;</a>",
       }) {
    EXPECT_EQ(LoadRequestXml(doc, body).code(), ErrorCode::kMalformedXML) << body;
  }
  // What is not a reference stays allowed: CDATA and comments may hold a bare '&'.
  EXPECT_TRUE(LoadRequestXml(doc, "<a><![CDATA[x & y]]><!-- & --></a>").ok());
  EXPECT_EQ(std::string(doc.child_value("a")), "x & y");
  EXPECT_TRUE(LoadRequestXml(doc, "<a>&lt;&gt;&quot;&apos;&#x41;&#66;</a>").ok());
  EXPECT_EQ(std::string(doc.child_value("a")), "<>\"'AB");
}

}  // namespace
}  // namespace stratus::s3
