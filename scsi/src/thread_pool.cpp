// The store threads of the thread-pool backend (thread_pool.hpp).
#include "thread_pool.hpp"

#include <algorithm>

namespace touchstone::scsi {

thread_pool::thread_pool(unsigned max_threads) : max_threads_(std::max(max_threads, 1u)) {}

thread_pool::~thread_pool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void thread_pool::post(std::function<void()> work) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(work));
    // More work waiting than idle threads to take it: one more thread.
    if (queue_.size() > idle_ && threads_.size() < max_threads_) {
      threads_.emplace_back([this] { serve(); });
      return;
    }
  }
  wake_.notify_one();
}

void thread_pool::serve() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return;  // stopping, nothing left
    auto work = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    work();
    work = nullptr;  // what it captured goes before the lock is taken again
    lock.lock();
  }
}

}  // namespace touchstone::scsi
