#include "server/root_credentials.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/crypto.h"

namespace stratus::server {
namespace {

constexpr const char* kFileName = "root-credentials.json";

// Random characters from an alphabet; bytes that would bias the choice are skipped.
std::string RandomString(std::string_view alphabet, size_t length) {
  const size_t usable = 256 - (256 % alphabet.size());
  std::string out;
  while (out.size() < length) {
    for (char c : RandomBytes(length)) {
      auto b = static_cast<unsigned char>(c);
      if (b < usable && out.size() < length) out += alphabet[b % alphabet.size()];
    }
  }
  return out;
}

Status WriteSecretFile(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("create " + tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::Internal("write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

Result<RootCredentials> LoadOrCreateRootCredentials(const std::string& data_dir) {
  RootCredentials root;
  root.credential.user = "root";
  const char* user = std::getenv("STRATUS_ROOT_USER");
  const char* password = std::getenv("STRATUS_ROOT_PASSWORD");
  if (user != nullptr && password != nullptr && *user != '\0' && *password != '\0') {
    root.credential.access_key = user;
    root.credential.secret_key = password;
    root.source = RootCredentials::Source::kEnvironment;
    return root;
  }
  std::string path = (std::filesystem::path(data_dir) / kFileName).string();
  root.file = path;
  if (std::ifstream in(path); in) {
    std::stringstream text;
    text << in.rdbuf();
    auto json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.contains("access_key") || !json.contains("secret_key")) {
      return Error(Status::Internal(path + " is not a valid credentials file"));
    }
    root.credential.access_key = json["access_key"].get<std::string>();
    root.credential.secret_key = json["secret_key"].get<std::string>();
    root.source = RootCredentials::Source::kFile;
    return root;
  }
  root.credential.access_key = RandomString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20);
  root.credential.secret_key =
      RandomString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
  nlohmann::json json = {{"access_key", root.credential.access_key},
                         {"secret_key", root.credential.secret_key}};
  RETURN_IF_ERROR(WriteSecretFile(path, json.dump(2) + "\n"));
  root.source = RootCredentials::Source::kCreated;
  return root;
}

}  // namespace stratus::server
