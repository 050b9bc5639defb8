#include "core/base/cancel_token.h"

#include "core/base/user_error.h"

namespace storyreel {

void CancelToken::throwIfCancelled() const {
    if (isCancelled()) {
        throw Cancelled();
    }
}

}  // namespace storyreel
