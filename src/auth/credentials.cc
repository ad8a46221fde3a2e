#include "auth/credentials.h"

#include <utility>

namespace stratus::auth {

StaticCredentialStore::StaticCredentialStore(std::vector<Credential> credentials) {
  for (Credential& credential : credentials) Add(std::move(credential));
}

void StaticCredentialStore::Add(Credential credential) {
  std::string key = credential.access_key;
  credentials_.insert_or_assign(std::move(key), std::move(credential));
}

std::optional<Credential> StaticCredentialStore::Lookup(std::string_view access_key) const {
  auto it = credentials_.find(access_key);
  if (it == credentials_.end()) return std::nullopt;
  return it->second;
}

}  // namespace stratus::auth
