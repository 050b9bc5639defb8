#include "core/base/natural_order.h"

#include <cctype>

namespace storyreel {
namespace {

bool isDigit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Compares the digit runs starting at i and j by value; advances both past them.
int compareNumbers(std::string_view a, std::size_t& i, std::string_view b, std::size_t& j) {
    while (i < a.size() && a[i] == '0') {
        ++i;
    }
    while (j < b.size() && b[j] == '0') {
        ++j;
    }
    const std::size_t startA = i;
    const std::size_t startB = j;
    while (i < a.size() && isDigit(a[i])) {
        ++i;
    }
    while (j < b.size() && isDigit(b[j])) {
        ++j;
    }
    const std::size_t lengthA = i - startA;
    const std::size_t lengthB = j - startB;
    if (lengthA != lengthB) {
        return lengthA < lengthB ? -1 : 1;
    }
    const int order = a.substr(startA, lengthA).compare(b.substr(startB, lengthB));
    return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

}  // namespace

bool naturalLess(std::string_view left, std::string_view right) {
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < left.size() && j < right.size()) {
        if (isDigit(left[i]) && isDigit(right[j])) {
            if (const int order = compareNumbers(left, i, right, j); order != 0) {
                return order < 0;
            }
            continue;
        }
        const int a = std::tolower(static_cast<unsigned char>(left[i]));
        const int b = std::tolower(static_cast<unsigned char>(right[j]));
        if (a != b) {
            return a < b;
        }
        ++i;
        ++j;
    }
    if ((left.size() - i) != (right.size() - j)) {
        return (left.size() - i) < (right.size() - j);
    }
    return left < right;  // equal ignoring case and zeros: keep a stable, total order
}

}  // namespace storyreel
