// A count that threads wait on instead of polling: whoever makes a change raises it, and every thread
// waiting for a change since the count it last read wakes at once. A waiter reads the count before it looks
// (so that a change made while it looks is never missed), then awaits a count other than that one, with a
// timeout for changes no signal announces (another process's, on a shared store).
#ifndef GONGKAI_SERVICES_GATEWAY_CHANGE_SIGNAL_H_
#define GONGKAI_SERVICES_GATEWAY_CHANGE_SIGNAL_H_

#include <cstdint>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace gongkai::gateway {

class ChangeSignal {
 public:
  // Raises the signal: the count goes up and every waiter wakes. Cheap; takes no other lock.
  void Notify() {
    absl::MutexLock lock(&mu_);
    ++count_;
  }

  // The count now, to pass to Await.
  int64_t Count() const {
    absl::MutexLock lock(&mu_);
    return count_;
  }

  // Waits until the count is no longer `seen` or `timeout` has passed. True when it changed.
  bool Await(int64_t seen, absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    struct Arg {
      const int64_t* count;
      int64_t seen;
    } arg{&count_, seen};
    return mu_.AwaitWithTimeout(
        absl::Condition(+[](Arg* a) { return *a->count != a->seen; }, &arg), timeout);
  }

 private:
  mutable absl::Mutex mu_;
  int64_t count_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gongkai::gateway

#endif  // GONGKAI_SERVICES_GATEWAY_CHANGE_SIGNAL_H_
