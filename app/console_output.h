// Printing for the two executables' command lines: one line to a stream, and Qt parser
// messages reshaped to fit our "program: problem. Try '...'" form.
#pragma once

#include <QString>

#include <cstdio>

namespace storyreel::app {

void printLine(std::FILE* stream, const QString& text);

// QCommandLineParser's messages end with a period; ours go on with "Try ...".
QString withoutFinalPeriod(QString text);

}  // namespace storyreel::app
