// The root user's credentials: from STRATUS_ROOT_USER / STRATUS_ROOT_PASSWORD, else from
// <data dir>/root-credentials.json, else created at random and saved there (mode 0600).
// There is no default password.
#pragma once

#include <string>

#include "auth/credentials.h"
#include "common/status.h"

namespace stratus::server {

struct RootCredentials {
  enum class Source { kEnvironment, kFile, kCreated };
  auth::Credential credential;
  Source source = Source::kCreated;
  std::string file;  // the credentials file, unless they came from the environment
};

Result<RootCredentials> LoadOrCreateRootCredentials(const std::string& data_dir);

}  // namespace stratus::server
