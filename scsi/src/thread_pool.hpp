// A pool of up to N threads running posted work in order of arrival; a
// thread is started only when work waits and none is idle, so a store that
// is never used asynchronously starts none. Private to scsi/src.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace touchstone::scsi {

class thread_pool {
 public:
  explicit thread_pool(unsigned max_threads);
  // Runs what is still queued, then joins. Never from one of its threads.
  ~thread_pool();
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  void post(std::function<void()> work);

 private:
  void serve();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  unsigned idle_ = 0;
  unsigned max_threads_;
  bool stopping_ = false;
};

}  // namespace touchstone::scsi
