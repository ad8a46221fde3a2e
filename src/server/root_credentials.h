// The root user's credentials: from STRATUS_ROOT_USER / STRATUS_ROOT_PASSWORD, else from
// <data dir>/root-credentials.json, else created at random and saved there (mode 0600).
// There is no default password.
#pragma once

#include <string>

#include "auth/credentials.h"
#include "common/status.h"

namespace stratus::server {

struct RootCredentials {
  auth::Credential credential;
  bool created = false;  // made on this start (so the operator must be shown them)
};

Result<RootCredentials> LoadOrCreateRootCredentials(const std::string& data_dir);

}  // namespace stratus::server
