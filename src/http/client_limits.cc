#include "http/client_limits.h"

namespace stratus::http {

std::string ClientLimits::KeyOf(const boost::asio::ip::address& address) {
  if (address.is_v6()) {
    auto v6 = address.to_v6();
    if (v6.is_v4_mapped())
      return KeyOf(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6));
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
  }
  return address.to_string();
}

bool ClientLimits::AddConnection(const std::string& key) {
  std::lock_guard lock(mu_);
  Counts& counts = counts_[key];
  ++counts.connections;
  return max_connections_ == 0 || counts.connections <= max_connections_;
}

void ClientLimits::RemoveConnection(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = counts_.find(key);
  if (it == counts_.end()) return;
  if (--it->second.connections == 0) counts_.erase(it);
}

bool ClientLimits::TryStartRequest(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = counts_.find(key);
  if (it == counts_.end()) return false;
  if (max_requests_ != 0 && it->second.requests >= max_requests_) return false;
  ++it->second.requests;
  return true;
}

void ClientLimits::EndRequest(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = counts_.find(key);
  if (it != counts_.end() && it->second.requests > 0) --it->second.requests;
}

size_t ClientLimits::clients() const {
  std::lock_guard lock(mu_);
  return counts_.size();
}

}  // namespace stratus::http
