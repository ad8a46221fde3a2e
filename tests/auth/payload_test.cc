#include "auth/payload.h"

#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "auth_test_util.h"
#include "common/crypto.h"

namespace stratus::auth {
namespace {

using testing::ReadAll;
using testing::StringStream;

TEST(PlainPayload, PassesTheBodyThrough) {
  StringStream body("some bytes", {3});
  PlainPayload payload(&body, 10);
  EXPECT_EQ(payload.length(), 10u);
  EXPECT_EQ(ReadAll(payload, 4).value(), "some bytes");
  EXPECT_TRUE(payload.trailers().empty());
}

TEST(Sha256Payload, AcceptsTheAnnouncedHashInAnyCase) {
  std::string hash = HexEncode(Sha256("some bytes"));
  for (std::string announced : {hash, http::ToLower(hash), [&] {
                                  std::string upper = hash;
                                  for (char& c : upper) c = static_cast<char>(std::toupper(c));
                                  return upper;
                                }()}) {
    StringStream body("some bytes", {1});
    Sha256Payload payload(&body, std::nullopt, announced);
    EXPECT_EQ(ReadAll(payload, 3).value(), "some bytes");
  }
}

TEST(Sha256Payload, FailsTheReadThatReachesTheEnd) {
  StringStream body("some bytes");
  Sha256Payload payload(&body, 10, HexEncode(Sha256("other bytes")));
  char buffer[64];
  EXPECT_EQ(payload.Read(buffer).value(), 10u);  // data flows until the end is seen
  EXPECT_EQ(payload.Read(buffer).error().code(), ErrorCode::kXAmzContentSHA256Mismatch);
  EXPECT_EQ(payload.Read(buffer).error().code(), ErrorCode::kXAmzContentSHA256Mismatch);
}

TEST(Sha256Payload, EmptyBody) {
  StringStream body("");
  Sha256Payload payload(&body, 0, HexEncode(Sha256("")));
  EXPECT_EQ(ReadAll(payload).value(), "");
}

TEST(StaticCredentialStore, LooksUpByAccessKey) {
  StaticCredentialStore store({{"AK1", "secret1", "root"}});
  store.Add({"AK2", "secret2", "alice"});
  store.Add({"AK1", "rotated", "root"});
  EXPECT_EQ(store.Lookup("AK2")->user, "alice");
  EXPECT_EQ(store.Lookup("AK1")->secret_key, "rotated");
  EXPECT_FALSE(store.Lookup("ak1").has_value());
  EXPECT_FALSE(store.Lookup("").has_value());
}

}  // namespace
}  // namespace stratus::auth
