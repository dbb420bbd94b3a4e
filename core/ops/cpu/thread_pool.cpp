// Persistent pool. A run() publishes one job (task, count) and opens it by
// bumping an epoch; workers claim task indices from a shared counter. Idle
// workers spin briefly (back-to-back GEMM calls then cost well under a
// microsecond to hand out) and then sleep on a condition variable, so an idle
// pool burns no CPU.
//
// Lifetime rule: the task lives on the caller's stack, so run() may return only
// once no worker can still touch it. A worker announces itself in `active`
// before reading the job and re-checks that the job is still open; run()
// closes the job and then waits for `active` to drain. Both sides use seq_cst,
// so either the worker sees the job closed or run() sees the worker.
#include "core/ops/cpu/thread_pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace gapscope {
namespace {

// How long idle workers (and a run() waiting for stragglers) spin before
// sleeping. Long enough to span the gaps between the GEMMs of one training step.
constexpr auto kSpinTime = std::chrono::microseconds(200);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// Spins on `ready` for up to kSpinTime; returns whether it became true.
template <typename Ready>
bool spin_until(Ready ready) {
  if (ready()) return true;
  const auto deadline = std::chrono::steady_clock::now() + kSpinTime;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (ready()) return true;
      cpu_relax();
    }
    if (std::chrono::steady_clock::now() >= deadline) return ready();
  }
}

}  // namespace

struct ThreadPool::State {
  // The open job. Written by run() before the epoch opens it.
  const std::function<void(int)>* task = nullptr;
  int count = 0;
  std::atomic<int> next{0};  // next task index to claim
  std::atomic<int> done{0};  // tasks finished (or skipped after a failure)
  std::atomic<bool> failed{false};
  std::exception_ptr error;  // first exception; guarded by `mutex`

  // Odd: a job is open; even: none. Workers remember the last odd value they served.
  std::atomic<uint64_t> epoch{0};
  std::atomic<int> active{0};  // workers currently inside a job

  std::mutex mutex;
  std::condition_variable work_cv;      // workers sleep here
  std::condition_variable finished_cv;  // run() sleeps here for slow tasks
  std::atomic<int> sleeping_workers{0};
  std::atomic<bool> caller_sleeping{false};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;

  // Claims and runs task indices until none are left.
  void work() {
    for (;;) {
      const int i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= count) return;
      if (!failed.load(std::memory_order_relaxed)) {
        try {
          (*task)(i);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mutex);
          if (!error) error = std::current_exception();
          failed.store(true, std::memory_order_relaxed);
        }
      }
      if (done.fetch_add(1, std::memory_order_seq_cst) + 1 == count &&
          caller_sleeping.load(std::memory_order_seq_cst)) {
        std::lock_guard<std::mutex> lock(mutex);
        finished_cv.notify_one();
      }
    }
  }

  bool job_available(uint64_t served) const {
    const uint64_t e = epoch.load(std::memory_order_seq_cst);
    return (e & 1) && e != served;
  }

  void worker_loop() {
    uint64_t served = 0;
    for (;;) {
      if (!spin_until([&] { return job_available(served) || stop.load(std::memory_order_relaxed); })) {
        std::unique_lock<std::mutex> lock(mutex);
        sleeping_workers.fetch_add(1, std::memory_order_seq_cst);
        work_cv.wait(lock, [&] { return job_available(served) || stop.load(std::memory_order_relaxed); });
        sleeping_workers.fetch_sub(1, std::memory_order_relaxed);
      }
      if (stop.load(std::memory_order_relaxed)) return;
      const uint64_t e = epoch.load(std::memory_order_seq_cst);
      served = e;
      active.fetch_add(1, std::memory_order_seq_cst);
      if (epoch.load(std::memory_order_seq_cst) == e && (e & 1)) work();
      active.fetch_sub(1, std::memory_order_release);
    }
  }
};

ThreadPool::ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads), state_(new State) {
  state_->workers.reserve(threads_ - 1);
  for (int i = 1; i < threads_; ++i) state_->workers.emplace_back([s = state_.get()] { s->worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stop.store(true, std::memory_order_relaxed);
  }
  state_->work_cv.notify_all();
  for (auto& t : state_->workers) t.join();
}

void ThreadPool::run(int count, const std::function<void(int)>& task) {
  if (count <= 0) return;
  if (threads_ == 1 || count == 1) {
    for (int i = 0; i < count; ++i) task(i);
    return;
  }
  State& s = *state_;
  s.task = &task;
  s.count = count;
  s.next.store(0, std::memory_order_relaxed);
  s.done.store(0, std::memory_order_relaxed);
  s.failed.store(false, std::memory_order_relaxed);
  s.error = nullptr;
  const uint64_t opened = s.epoch.load(std::memory_order_relaxed) + 1;
  s.epoch.store(opened, std::memory_order_seq_cst);
  if (s.sleeping_workers.load(std::memory_order_seq_cst) > 0) {
    // Taking the mutex orders this notify after a sleeper's last check.
    std::lock_guard<std::mutex> lock(s.mutex);
    s.work_cv.notify_all();
  }

  s.work();

  auto all_done = [&] { return s.done.load(std::memory_order_seq_cst) == count; };
  if (!spin_until(all_done)) {
    std::unique_lock<std::mutex> lock(s.mutex);
    s.caller_sleeping.store(true, std::memory_order_seq_cst);
    s.finished_cv.wait(lock, all_done);
    s.caller_sleeping.store(false, std::memory_order_relaxed);
  }
  s.epoch.store(opened + 1, std::memory_order_seq_cst);  // close the job
  // Workers still inside are only leaving work(); a preempted one needs the core.
  for (int spins = 0; s.active.load(std::memory_order_acquire) != 0; ++spins) {
    if (spins < 1024) cpu_relax(); else std::this_thread::yield();
  }

  if (s.failed.load(std::memory_order_relaxed)) {
    std::exception_ptr error;
    {
      std::lock_guard<std::mutex> lock(s.mutex);
      error = std::exchange(s.error, nullptr);
    }
    std::rethrow_exception(error);
  }
}

}  // namespace gapscope
