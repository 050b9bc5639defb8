// Log: one process-wide sink for diagnostics, so core code can report without knowing
// whether it runs under the GUI (which shows a log panel) or the CLI (stderr).
//
//   log(LogLevel::Warning, "tensor blocks.0.norm_q has dtype F16, converting");
//   setLogSink([](LogLevel l, std::string_view m) { ... });
//
// Thread-safety: log() and setLogSink() may be called from any thread.
#pragma once

#include <functional>
#include <string_view>

namespace storyreel {

enum class LogLevel { Debug, Info, Warning, Error };

using LogSink = std::function<void(LogLevel, std::string_view)>;

// Replaces the sink; an empty function restores the default (stderr, Info and above).
void setLogSink(LogSink sink);
void log(LogLevel level, std::string_view message);

}  // namespace storyreel
