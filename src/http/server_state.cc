#include "http/connection.h"

namespace stratus::http {

uint64_t ServerState::Register(std::weak_ptr<Connection> connection) {
  std::lock_guard lock(mu_);
  uint64_t id = next_id_++;
  live_.emplace(id, std::move(connection));
  return id;
}

void ServerState::Unregister(uint64_t id) {
  {
    std::lock_guard lock(mu_);
    live_.erase(id);
  }
  CheckDrained();
}

std::vector<std::shared_ptr<Connection>> ServerState::LiveConnections() {
  std::vector<std::shared_ptr<Connection>> out;
  std::lock_guard lock(mu_);
  out.reserve(live_.size());
  for (auto& [id, weak] : live_) {
    if (auto c = weak.lock()) out.push_back(std::move(c));
  }
  return out;
}

void ServerState::CheckDrained() {
  if (!stopping.load()) return;
  {
    std::lock_guard lock(mu_);
    if (!live_.empty()) return;
  }
  if (on_drained) on_drained();  // idempotent on the Server side
}

}  // namespace stratus::http
