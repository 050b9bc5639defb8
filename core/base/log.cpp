#include "core/base/log.h"

#include <cstdio>
#include <mutex>
#include <utility>

namespace storyreel {
namespace {

std::mutex& sinkMutex() {
    static std::mutex mutex;
    return mutex;
}

LogSink& currentSink() {
    static LogSink sink;
    return sink;
}

void logToStderr(LogLevel level, std::string_view message) {
    if (level == LogLevel::Debug) {
        return;
    }
    static constexpr const char* kNames[] = {"debug", "info", "warning", "error"};
    std::fprintf(stderr, "storyreel: %s: %.*s\n", kNames[static_cast<int>(level)],
                 static_cast<int>(message.size()), message.data());
}

}  // namespace

void setLogSink(LogSink sink) {
    std::lock_guard lock(sinkMutex());
    currentSink() = std::move(sink);
}

void log(LogLevel level, std::string_view message) {
    std::lock_guard lock(sinkMutex());
    if (currentSink()) {
        currentSink()(level, message);
    } else {
        logToStderr(level, message);
    }
}

}  // namespace storyreel
