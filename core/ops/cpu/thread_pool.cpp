// Persistent pool. A run() publishes one job (task, count) and opens it by
// bumping an epoch; workers claim task indices from a shared counter, and the
// caller claims them too, so a worker that wakes late finds nothing left
// rather than holding the caller up. Idle workers spin briefly (back-to-back
// GEMM calls then cost well under a microsecond to hand out) and then sleep in
// std::atomic::wait (a futex on Linux), so an idle pool burns no CPU. A
// condition variable is avoided on purpose: glibc's signal can block the
// signaller until a sleeper has woken (hundreds of microseconds here).
//
// Lifetime rule: the task lives on the caller's stack, so run() may return only
// once no worker can still touch it. A worker announces itself in `active`
// before reading the job and re-checks that the job is still open; run()
// closes the job and then waits for `active` to drain. Both sides use seq_cst,
// so either the worker sees the job closed or run() sees the worker.
//
// run() from inside one of this pool's tasks runs inline (no deadlock), and
// concurrent run() calls from outside threads take turns.
#include "core/ops/cpu/thread_pool.h"

#include <atomic>
#include <chrono>
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

// The pool whose task (or run()) the current thread is inside, if any.
thread_local const void* current_pool = nullptr;

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
  std::mutex error_mutex;
  std::exception_ptr error;  // the first exception

  // Odd: a job is open; even: none. Workers remember the last odd value they
  // served. 32 bits, the width a futex waits on.
  std::atomic<uint32_t> epoch{0};
  std::atomic<int> active{0};  // workers currently inside a job

  std::atomic<int> sleeping_workers{0};
  std::atomic<bool> caller_sleeping{false};
  std::atomic<bool> stop{false};
  std::mutex run_mutex;  // one run() at a time
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
          std::lock_guard<std::mutex> lock(error_mutex);
          if (!error) error = std::current_exception();
          failed.store(true, std::memory_order_relaxed);
        }
      }
      if (done.fetch_add(1, std::memory_order_seq_cst) + 1 == count &&
          caller_sleeping.load(std::memory_order_seq_cst)) {
        done.notify_one();
      }
    }
  }

  bool job_available(uint32_t served) const {
    const uint32_t e = epoch.load(std::memory_order_seq_cst);
    return (e & 1) && e != served;
  }

  void worker_loop() {
    current_pool = this;
    uint32_t served = 0;
    auto ready = [&] { return job_available(served) || stop.load(std::memory_order_seq_cst); };
    for (;;) {
      if (!spin_until(ready)) {
        // run() notifies only when it sees a sleeper; the seq_cst pair
        // (this increment, its epoch store) guarantees one of us sees the other.
        sleeping_workers.fetch_add(1, std::memory_order_seq_cst);
        for (uint32_t e = epoch.load(std::memory_order_seq_cst); !ready();
             e = epoch.load(std::memory_order_seq_cst)) {
          epoch.wait(e, std::memory_order_seq_cst);
        }
        sleeping_workers.fetch_sub(1, std::memory_order_relaxed);
      }
      if (stop.load(std::memory_order_relaxed)) return;
      const uint32_t e = epoch.load(std::memory_order_seq_cst);
      served = e;
      active.fetch_add(1, std::memory_order_seq_cst);
      if (epoch.load(std::memory_order_seq_cst) == e && (e & 1)) work();
      active.fetch_sub(1, std::memory_order_release);
    }
  }
};

ThreadPool::ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads), state_(new State) {
  state_->workers.reserve(threads_ - 1);
  for (int i = 1; i < threads_; ++i) {
    state_->workers.emplace_back([s = state_.get()] { s->worker_loop(); });
  }
}

ThreadPool::~ThreadPool() {
  State& s = *state_;
  s.stop.store(true, std::memory_order_seq_cst);
  s.epoch.fetch_add(2, std::memory_order_seq_cst);  // wakes sleepers; keeps "no job open"
  s.epoch.notify_all();
  for (auto& t : s.workers) t.join();
}

void ThreadPool::run(int count, const std::function<void(int)>& task) {
  if (count <= 0) return;
  State& s = *state_;
  if (threads_ == 1 || count == 1 || current_pool == &s) {
    for (int i = 0; i < count; ++i) task(i);
    return;
  }
  std::lock_guard<std::mutex> run_lock(s.run_mutex);
  struct Enter {  // restores the outer pool if this run() is nested in another's task
    const void* outer = std::exchange(current_pool, nullptr);
    explicit Enter(const void* pool) { current_pool = pool; }
    ~Enter() { current_pool = outer; }
  } enter(&s);
  s.task = &task;
  s.count = count;
  s.next.store(0, std::memory_order_relaxed);
  s.done.store(0, std::memory_order_relaxed);
  s.failed.store(false, std::memory_order_relaxed);
  s.error = nullptr;
  const uint32_t opened = s.epoch.load(std::memory_order_relaxed) + 1;
  s.epoch.store(opened, std::memory_order_seq_cst);
  if (s.sleeping_workers.load(std::memory_order_seq_cst) > 0) s.epoch.notify_all();

  s.work();

  auto all_done = [&] { return s.done.load(std::memory_order_seq_cst) == count; };
  if (!spin_until(all_done)) {
    s.caller_sleeping.store(true, std::memory_order_seq_cst);
    for (int d = s.done.load(std::memory_order_seq_cst); d != count;
         d = s.done.load(std::memory_order_seq_cst)) {
      s.done.wait(d, std::memory_order_seq_cst);
    }
    s.caller_sleeping.store(false, std::memory_order_relaxed);
  }
  s.epoch.store(opened + 1, std::memory_order_seq_cst);  // close the job
  // Workers still inside are only leaving work(); a preempted one needs the core.
  for (int spins = 0; s.active.load(std::memory_order_acquire) != 0; ++spins) {
    if (spins < 1024) {
      cpu_relax();
    } else {
      std::this_thread::yield();
    }
  }

  if (s.failed.load(std::memory_order_relaxed)) {
    std::exception_ptr error;
    {
      std::lock_guard<std::mutex> lock(s.error_mutex);
      error = std::exchange(s.error, nullptr);
    }
    std::rethrow_exception(error);
  }
}

}  // namespace gapscope
