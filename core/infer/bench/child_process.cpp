#include "core/infer/bench/child_process.h"

#include "core/base/user_error.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <sstream>

namespace storyreel::infer::bench {

std::string shellQuoted(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

ChildResult runChild(const std::vector<std::string>& argv) {
    std::string command;
    for (const std::string& argument : argv) {
        command += (command.empty() ? "" : " ") + shellQuoted(argument);
    }
    std::fflush(stdout);
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        throw UserError("could not start " + (argv.empty() ? std::string("?") : argv.front()));
    }
    ChildResult result;
    std::array<char, 4096> buffer{};
    std::size_t read = 0;
    while ((read = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        result.output.append(buffer.data(), read);
    }
    const int status = ::pclose(pipe);
    result.exitStatus = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string lastJsonLine(const std::string& output) {
    std::istringstream lines(output);
    std::string line;
    std::string last;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.front() == '{') {
            last = line;
        }
    }
    return last;
}

}  // namespace storyreel::infer::bench
