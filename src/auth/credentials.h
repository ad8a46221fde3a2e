// Who may sign requests: access key -> secret key and the user it belongs to.
//
// The Verifier asks a CredentialStore for the secret of the access key a request names. The
// root user is a StaticCredentialStore today; IAM users will come from a store backed by
// metadata. Implementations must be safe to call from many worker threads at once.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::auth {

struct Credential {
  std::string access_key;
  std::string secret_key;
  std::string user;
};

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  // The credential of that access key, or nullopt if none (answered as InvalidAccessKeyId).
  virtual std::optional<Credential> Lookup(std::string_view access_key) const = 0;
};

// A fixed set of credentials. Fill it before sharing it: Add is not synchronized with Lookup.
class StaticCredentialStore : public CredentialStore {
 public:
  StaticCredentialStore() = default;
  explicit StaticCredentialStore(std::vector<Credential> credentials);

  // Adds or replaces the credential of credential.access_key.
  void Add(Credential credential);
  std::optional<Credential> Lookup(std::string_view access_key) const override;

 private:
  std::map<std::string, Credential, std::less<>> credentials_;
};

}  // namespace stratus::auth
