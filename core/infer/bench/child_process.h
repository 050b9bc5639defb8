// Running another program for a benchmark and reading what it prints: the reference Python
// of a model runs in its own process, so that its peak memory is its own.
//
//   const ChildResult r = runChild({"/usr/bin/python3", "script.py", "--repeats", "3"});
//   if (r.exitStatus == 0) use(lastJsonLine(r.output));
//
// Thread-safety: pure functions (they block the caller until the child exits).
#pragma once

#include <string>
#include <vector>

namespace storyreel::infer::bench {

struct ChildResult {
    int exitStatus = -1;  // the program's exit status; -1 when it did not exit normally
    std::string output;   // its standard output (its standard error goes to ours)
};

// Runs `argv` (argv[0] the program) through the shell with each argument quoted, waits for
// it and returns its output. Throws UserError when it cannot be started.
ChildResult runChild(const std::vector<std::string>& argv);

// The last line of `output` that starts with '{', or "" when there is none.
std::string lastJsonLine(const std::string& output);

// `text` single-quoted for a POSIX shell.
std::string shellQuoted(const std::string& text);

}  // namespace storyreel::infer::bench
