#include "http/chunk_buffers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace stratus::http {
namespace {

TEST(ChunkBuffersTest, AGivenBackBufferIsTakenAgain) {
  ChunkBuffers buffers(1 << 20, 2);
  char* first = nullptr;
  {
    auto buffer = buffers.Take(buffers.size());
    first = buffer.get();
    buffer[0] = 'x';
    buffer[(1 << 20) - 1] = 'y';  // the whole size is ours
  }
  auto again = buffers.Take(buffers.size());
  EXPECT_EQ(again.get(), first);
}

TEST(ChunkBuffersTest, OnlySoManyAreKeptIdle) {
  ChunkBuffers buffers(4096, 2);
  std::vector<char*> seen;
  {
    std::vector<ChunkBuffers::Buffer> held;
    for (int i = 0; i < 4; ++i) held.push_back(buffers.Take(buffers.size()));
    for (auto& b : held) seen.push_back(b.get());
  }  // four given back, two kept
  auto a = buffers.Take(buffers.size());
  auto b = buffers.Take(buffers.size());
  auto c = buffers.Take(buffers.size());  // a new one: the keep bound freed the others
  int reused = 0;
  for (char* p : {a.get(), b.get()}) reused += std::count(seen.begin(), seen.end(), p);
  EXPECT_EQ(reused, 2);
  EXPECT_NE(c.get(), a.get());
  EXPECT_NE(c.get(), b.get());
}

}  // namespace
}  // namespace stratus::http
