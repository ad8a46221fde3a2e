// A tiny blocking HTTP/1.1 client over a raw socket, for driving the server byte by byte.
// Every read is bounded by a receive timeout so a broken server fails a test, not hangs it.
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/headers.h"

namespace stratus::http::testing {

// FNV-1a, streaming: both ends hash bodies with it.
inline uint64_t Fnv(uint64_t h, std::string_view data) {
  for (unsigned char c : data) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}
constexpr uint64_t kFnvStart = 0xcbf29ce484222325ULL;

// The byte at offset i of generated test bodies.
inline char PatternByte(uint64_t i) { return static_cast<char>((i * 31 + 7) & 0xff); }
inline std::string Pattern(uint64_t offset, size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = PatternByte(offset + i);
  return s;
}

struct RawResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

class RawClient {
 public:
  // `source`: the loopback address to connect from (127.0.0.x), as another client would.
  explicit RawClient(uint16_t port, int recv_timeout_seconds = 20, const char* source = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{recv_timeout_seconds, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (source != nullptr) {
      sockaddr_in from{};
      from.sin_family = AF_INET;
      if (::inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
          ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0)
        return;
    }
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // Sends in pieces of the given sizes, cycling through them.
  bool SendSplit(std::string_view data, const std::vector<size_t>& sizes) {
    for (size_t i = 0; !data.empty(); ++i) {
      size_t n = std::min(data.size(), sizes[i % sizes.size()]);
      if (!Send(data.substr(0, n))) return false;
      data.remove_prefix(n);
    }
    return true;
  }
  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  // True if bytes (or EOF) become readable within the timeout.
  bool Readable(int timeout_ms) {
    if (!pending_.empty()) return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, timeout_ms) > 0;
  }

  // Reads until `delimiter`; returns everything up to and including it.
  std::optional<std::string> ReadUntil(std::string_view delimiter) {
    for (;;) {
      size_t at = pending_.find(delimiter);
      if (at != std::string::npos) {
        std::string out = pending_.substr(0, at + delimiter.size());
        pending_.erase(0, at + delimiter.size());
        return out;
      }
      if (!Fill()) return std::nullopt;
    }
  }
  std::optional<std::string> ReadExactly(size_t n) {
    while (pending_.size() < n) {
      if (!Fill()) return std::nullopt;
    }
    std::string out = pending_.substr(0, n);
    pending_.erase(0, n);
    return out;
  }
  // True when the server closed the connection (EOF or reset) with nothing more to read.
  bool AtEof() {
    if (!pending_.empty()) return false;
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    if (n == 1) {
      pending_.push_back(c);
      return false;
    }
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }

  // Reads one response. A body is framed by Content-Length, chunked coding, or the close;
  // `head_request` (or 1xx/204/304) means none. `body_hash`: hash instead of keeping it.
  std::optional<RawResponse> ReadResponse(bool head_request = false,
                                          uint64_t* body_hash = nullptr) {
    auto head = ReadUntil("\r\n\r\n");
    if (!head) return std::nullopt;
    RawResponse r;
    if (head->size() < 12 || head->compare(0, 5, "HTTP/") != 0) return std::nullopt;
    r.status = std::stoi(head->substr(9, 3));
    size_t pos = head->find("\r\n") + 2;
    while (pos < head->size() - 2) {
      size_t end = head->find("\r\n", pos);
      std::string line = head->substr(pos, end - pos);
      size_t colon = line.find(':');
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.Add(line.substr(0, colon), value);
      pos = end + 2;
    }
    if (head_request || r.status < 200 || r.status == 204 || r.status == 304) return r;
    uint64_t hash = kFnvStart;
    auto consume = [&](std::string_view data) {
      if (body_hash) {
        hash = Fnv(hash, data);
      } else {
        r.body.append(data);
      }
    };
    if (auto cl = r.headers.Get("Content-Length")) {
      uint64_t left = std::stoull(std::string(*cl));
      while (left > 0) {
        size_t n = static_cast<size_t>(std::min<uint64_t>(left, 1 << 20));
        auto part = ReadExactly(n);
        if (!part) return std::nullopt;
        consume(*part);
        left -= n;
      }
    } else if (r.headers.Get("Transfer-Encoding")) {
      for (;;) {
        auto size_line = ReadUntil("\r\n");
        if (!size_line) return std::nullopt;
        size_t n = std::stoul(*size_line, nullptr, 16);
        auto part = ReadExactly(n + 2);
        if (!part) return std::nullopt;
        if (n == 0) break;
        consume(std::string_view(*part).substr(0, n));
      }
    } else {
      while (Fill()) {
      }
      consume(pending_);
      pending_.clear();
    }
    if (body_hash) *body_hash = hash;
    return r;
  }

 private:
  bool Fill() {
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    pending_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

}  // namespace stratus::http::testing
