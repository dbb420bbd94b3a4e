// A fixed pool of worker threads for the CPU backend. run() blocks until all
// tasks are done; the calling thread takes part, so a pool of 1 spawns nothing.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>

namespace gapscope {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);  // threads >= 1 (total, caller included)
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return threads_; }
  // Calls task(i) for i in [0, count), spread over the threads.
  void run(int count, const std::function<void(int)>& task);

 private:
  struct State;
  int threads_;
  std::unique_ptr<State> state_;
};

}  // namespace gapscope
