#include "core/infer/models/hunyuan/pil_resize.h"

#include "core/base/user_error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <vector>

namespace storyreel::infer::hunyuan {

namespace {

// Resample.c: 8 bits of result, 2 bits of headroom for filters with negative lobes.
constexpr int kPrecisionBits = 32 - 8 - 2;

double bilinearFilter(double x) {
    x = std::fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

double bicubicFilter(double x) {
    constexpr double a = -0.5;
    x = std::fabs(x);
    if (x < 1.0) {
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
        return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
}

// Keeps a product from being fused into a multiply-add (which Pillow's C build does not do
// on x86-64), so coefficients round as Pillow's do on every target.
double rounded(double value) {
    volatile double stored = value;
    return stored;
}

// precompute_coeffs + normalize_coeffs_8bpc for the box [0, inSize) onto outSize pixels.
struct Coefficients {
    int ksize = 0;
    std::vector<int> first;          // xmin per output pixel
    std::vector<int> count;          // taps per output pixel
    std::vector<std::int32_t> taps;  // [outSize * ksize], fixed point
};

Coefficients precompute(int inSize, int outSize, PilFilter filter) {
    const double support0 = filter == PilFilter::Bilinear ? 1.0 : 2.0;
    const auto kernel = filter == PilFilter::Bilinear ? bilinearFilter : bicubicFilter;
    const float in0 = 0.0f;
    const auto in1 = static_cast<float>(inSize);
    const double scale = static_cast<double>(in1 - in0) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = support0 * filterScale;
    Coefficients result;
    result.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
    result.first.resize(static_cast<std::size_t>(outSize));
    result.count.resize(static_cast<std::size_t>(outSize));
    result.taps.assign(static_cast<std::size_t>(outSize) * result.ksize, 0);
    std::vector<double> weights(static_cast<std::size_t>(result.ksize));
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = in0 + rounded((xx + 0.5) * scale);
        const double ss = 1.0 / filterScale;
        const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
        const int xmax = std::min(static_cast<int>(center + support + 0.5), inSize) - xmin;
        double total = 0.0;
        for (int x = 0; x < xmax; ++x) {
            const double w = kernel(rounded((x + xmin - center + 0.5) * ss));
            weights[static_cast<std::size_t>(x)] = w;
            total += w;
        }
        for (int x = 0; x < xmax; ++x) {
            double w = weights[static_cast<std::size_t>(x)];
            if (total != 0.0) {
                w /= total;
            }
            const double fixed = rounded(w * (1 << kPrecisionBits));
            result.taps[static_cast<std::size_t>(xx) * result.ksize + x] =
                static_cast<std::int32_t>(w < 0 ? -0.5 + fixed : 0.5 + fixed);
        }
        result.first[static_cast<std::size_t>(xx)] = xmin;
        result.count[static_cast<std::size_t>(xx)] = std::max(xmax, 0);
    }
    return result;
}

// clip8: the accumulator's integer part (an arithmetic shift), clamped to 0..255.
std::uint8_t clip8(std::int32_t accumulator) {
    const std::int32_t value = accumulator >> kPrecisionBits;
    return static_cast<std::uint8_t>(std::clamp<std::int32_t>(value, 0, 255));
}

}  // namespace

at::Tensor pilResize(const at::Tensor& image, std::int64_t height, std::int64_t width,
                     PilFilter filter) {
    if (!image.defined() || image.dim() != 3 || image.size(2) < 1 || image.size(0) < 1 ||
        image.size(1) < 1) {
        std::ostringstream message;
        message << "pilResize: the image must be [H, W, C], not ";
        if (image.defined()) {
            message << image.sizes();
        } else {
            message << "(none)";
        }
        throw UserError(message.str());
    }
    if (height < 1 || width < 1 || height > (1 << 20) || width > (1 << 20)) {
        throw UserError("pilResize: cannot resize to " + std::to_string(width) + "x" +
                        std::to_string(height));
    }
    at::Tensor input = image.to(at::kCPU);
    if (input.scalar_type() != at::kByte) {
        input = input.to(at::kFloat).round().clamp(0, 255).to(at::kByte);
    }
    input = input.contiguous();
    const int inHeight = static_cast<int>(input.size(0));
    const int inWidth = static_cast<int>(input.size(1));
    const int channels = static_cast<int>(input.size(2));
    const int outHeight = static_cast<int>(height);
    const int outWidth = static_cast<int>(width);
    if (inHeight == outHeight && inWidth == outWidth) {
        return input.clone();
    }

    // ImagingResampleInner: the vertical coefficients first, to know which rows to resample
    // horizontally.
    const Coefficients vertical = precompute(inHeight, outHeight, filter);
    const int rowFirst = vertical.first.front();
    const int rowLast = vertical.first.back() + vertical.count.back();
    const std::uint8_t* source = input.data_ptr<std::uint8_t>();
    const int sourceStride = inWidth * channels;

    // Horizontal pass over rows [rowFirst, rowLast), when the width changes.
    std::vector<std::uint8_t> temp;
    const std::uint8_t* rows = source + static_cast<std::ptrdiff_t>(rowFirst) * sourceStride;
    int rowsWidth = inWidth;
    if (outWidth != inWidth) {
        const Coefficients horizontal = precompute(inWidth, outWidth, filter);
        const int tempRows = rowLast - rowFirst;
        temp.resize(static_cast<std::size_t>(tempRows) * outWidth * channels);
        for (int yy = 0; yy < tempRows; ++yy) {
            const std::uint8_t* row = rows + static_cast<std::ptrdiff_t>(yy) * sourceStride;
            std::uint8_t* out = temp.data() + static_cast<std::ptrdiff_t>(yy) * outWidth * channels;
            for (int xx = 0; xx < outWidth; ++xx) {
                const int xmin = horizontal.first[static_cast<std::size_t>(xx)];
                const int taps = horizontal.count[static_cast<std::size_t>(xx)];
                const std::int32_t* k =
                    horizontal.taps.data() + static_cast<std::ptrdiff_t>(xx) * horizontal.ksize;
                for (int c = 0; c < channels; ++c) {
                    std::int32_t sum = 1 << (kPrecisionBits - 1);
                    for (int x = 0; x < taps; ++x) {
                        sum += static_cast<std::int32_t>(row[(x + xmin) * channels + c]) * k[x];
                    }
                    out[xx * channels + c] = clip8(sum);
                }
            }
        }
        rows = temp.data();
        rowsWidth = outWidth;
    }
    at::Tensor result =
        at::empty({outHeight, rowsWidth, channels}, at::TensorOptions().dtype(at::kByte));
    std::uint8_t* out = result.data_ptr<std::uint8_t>();
    const int rowStride = rowsWidth * channels;
    if (outHeight == inHeight) {
        // No vertical pass: rowFirst is 0 and every row was resampled.
        std::copy(rows, rows + static_cast<std::ptrdiff_t>(outHeight) * rowStride, out);
        return result;
    }
    // Vertical pass; the bounds are relative to rowFirst.
    for (int yy = 0; yy < outHeight; ++yy) {
        const int ymin = vertical.first[static_cast<std::size_t>(yy)] - rowFirst;
        const int taps = vertical.count[static_cast<std::size_t>(yy)];
        const std::int32_t* k =
            vertical.taps.data() + static_cast<std::ptrdiff_t>(yy) * vertical.ksize;
        for (int i = 0; i < rowStride; ++i) {
            std::int32_t sum = 1 << (kPrecisionBits - 1);
            for (int y = 0; y < taps; ++y) {
                sum += static_cast<std::int32_t>(
                           rows[static_cast<std::ptrdiff_t>(y + ymin) * rowStride + i]) *
                       k[y];
            }
            out[static_cast<std::ptrdiff_t>(yy) * rowStride + i] = clip8(sum);
        }
    }
    return result;
}

}  // namespace storyreel::infer::hunyuan
