// CancelToken: a flag the UI thread sets directly and long work checks at every step.
//
//   CancelToken cancel;            // owned by the job
//   worker: cancel.throwIfCancelled();   // between denoising steps, tiles, frames
//   UI:     cancel.requestCancel();      // never through a queued slot
//
// Thread-safety: requestCancel() and isCancelled() may be called from any thread.
#pragma once

#include <atomic>

namespace storyreel {

class CancelToken {
public:
    void requestCancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
    bool isCancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }

    // Throws storyreel::Cancelled once cancellation was requested.
    void throwIfCancelled() const;

private:
    std::atomic<bool> cancelled_{false};
};

}  // namespace storyreel
