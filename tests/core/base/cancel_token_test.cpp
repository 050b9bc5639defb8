#include "core/base/cancel_token.h"

#include "core/base/user_error.h"

#include <catch2/catch.hpp>

#include <thread>

using storyreel::CancelToken;

TEST_CASE("A new cancel token lets work go on", "[base][cancel]") {
    CancelToken token;
    CHECK_FALSE(token.isCancelled());
    CHECK_NOTHROW(token.throwIfCancelled());
}

TEST_CASE("A cancel requested from another thread stops the work", "[base][cancel]") {
    CancelToken token;
    std::thread ui([&token] { token.requestCancel(); });
    ui.join();
    CHECK(token.isCancelled());
    CHECK_THROWS_AS(token.throwIfCancelled(), storyreel::Cancelled);
}
