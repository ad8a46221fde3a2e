// Per-client counts of open connections and in-flight requests, so that one client (or one
// network behind a NAT) cannot take every connection slot or every handler.
//
// Clients are keyed by address: an IPv4 address, or an IPv6 address's /64 (one host commonly
// owns a whole /64, so counting its addresses one by one would limit nothing). A key's entry
// exists only while it has a connection: memory follows the open connections. Thread-safe.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/ip/address.hpp>

namespace stratus::http {

class ClientLimits {
 public:
  // 0: no limit.
  ClientLimits(size_t max_connections, size_t max_requests)
      : max_connections_(max_connections), max_requests_(max_requests) {}

  static std::string KeyOf(const boost::asio::ip::address& address);

  // Counts a connection, and says whether it is within the limit; an over-the-limit one is
  // counted too (it holds a socket) until RemoveConnection.
  bool AddConnection(const std::string& key);
  void RemoveConnection(const std::string& key);

  // Counts a request handed to a handler, unless the key already has max_requests; each true
  // is paired with one EndRequest. The key must hold a connection.
  bool TryStartRequest(const std::string& key);
  void EndRequest(const std::string& key);

  size_t clients() const;  // keys with a connection

 private:
  struct Counts {
    size_t connections = 0;
    size_t requests = 0;
  };

  const size_t max_connections_;
  const size_t max_requests_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Counts> counts_;  // guarded by mu_
};

}  // namespace stratus::http
