#include "core/motion/animatic_renderer.h"

#include "core/motion/depth_map.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <vector>

using namespace storyreel::motion;

namespace {

// Blurred noise: texture everywhere, so phase correlation locks on at every frame.
cv::Mat texture(int width, int height) {
    cv::Mat noise(height, width, CV_8UC3);
    cv::RNG(17).fill(noise, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(noise, noise, cv::Size(0, 0), 4.0);
    cv::normalize(noise, noise, 0, 255, cv::NORM_MINMAX);
    return noise;
}

cv::Mat grey(const cv::Mat& bgr) {
    cv::Mat g;
    cv::cvtColor(bgr, g, cv::COLOR_BGR2GRAY);
    g.convertTo(g, CV_64F);
    return g;
}

// Sub-pixel shift of `current` against `previous`, by whole-frame gradient tracking
// (Lucas-Kanade on the central region, iterated): on smooth texture it resolves hundredths
// of a pixel, where phase correlation's peak fit is biased by the shift's fraction.
cv::Point2d measuredShift(const cv::Mat& previous, const cv::Mat& current) {
    cv::Mat gx;
    cv::Mat gy;
    cv::Sobel(previous, gx, CV_64F, 1, 0, 3, 1.0 / 8.0);
    cv::Sobel(previous, gy, CV_64F, 0, 1, 3, 1.0 / 8.0);
    const cv::Rect inner(48, 48, previous.cols - 96, previous.rows - 96);
    cv::Point2d shift(0, 0);
    for (int iteration = 0; iteration < 8; ++iteration) {
        // Move `current` back by the shift so far; what remains is the error to solve for.
        const cv::Matx23d back(1, 0, shift.x, 0, 1, shift.y);
        cv::Mat aligned;
        cv::warpAffine(current, aligned, back, current.size(),
                       cv::INTER_CUBIC | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
        const cv::Mat difference = aligned(inner) - previous(inner);
        const cv::Mat x = gx(inner);
        const cv::Mat y = gy(inner);
        const double xx = x.dot(x);
        const double xy = x.dot(y);
        const double yy = y.dot(y);
        const double xd = x.dot(difference);
        const double yd = y.dot(difference);
        const double det = xx * yy - xy * xy;
        const cv::Point2d step((yy * xd - xy * yd) / det, (xx * yd - xy * xd) / det);
        shift -= step;
        if (std::abs(step.x) + std::abs(step.y) < 1e-4) {
            break;
        }
    }
    return shift;
}

AnimaticOptions smallOptions(int frames) {
    AnimaticOptions options;
    options.width = 640;
    options.height = 360;
    options.fps = 24;
    options.frames = frames;
    return options;
}

}  // namespace

// Vertical stripes whose brightness is a sine of x with period `period` source pixels:
// band-limited, so resampling keeps them, and their phase gives their position exactly.
cv::Mat stripes(int width, int height, double period) {
    cv::Mat image(height, width, CV_8UC3);
    for (int x = 0; x < width; ++x) {
        const auto v =
            cv::saturate_cast<std::uint8_t>(128 + 100 * std::sin(2 * CV_PI * x / period));
        image.col(x).setTo(cv::Scalar::all(v));
    }
    return image;
}

// Where the stripes sit in a frame, in output pixels (mod `period`), from their phase.
double stripePosition(const cv::Mat& frame, double period) {
    cv::Mat columns;
    cv::reduce(grey(frame), columns, 0, cv::REDUCE_AVG);
    double s = 0.0;
    double c = 0.0;
    const int whole = static_cast<int>(std::floor(columns.cols / period) * period);
    for (int x = 0; x < whole; ++x) {
        s += columns.at<double>(0, x) * std::sin(2 * CV_PI * x / period);
        c += columns.at<double>(0, x) * std::cos(2 * CV_PI * x / period);
    }
    // The phase follows the view; the content moves the other way.
    return -std::atan2(c, s) / (2 * CV_PI) * period;
}

// Per-frame displacement of the stripes, unwrapped, in output pixels.
std::vector<double> stripeSteps(const AnimaticRenderer& renderer, double sourcePeriod) {
    std::vector<double> steps;
    double previous = 0.0;
    for (int i = 0; i < renderer.frameCount(); ++i) {
        const double scale = renderer.path().at(i / 24.0).viewWidth / 640.0;
        const double period = sourcePeriod / scale;
        const double position = stripePosition(renderer.frame(i), period);
        if (i > 0) {
            double step = position - previous;
            step -= period * std::round(step / period);
            steps.push_back(step);
        }
        previous = position;
    }
    return steps;
}

TEST_CASE("A constant pan moves the picture by the same sub-pixel step every frame",
          "[motion][render]") {
    const AnimaticRenderer renderer(stripes(1600, 900, 160.0),
                                    parseMotionPrompt("linear pan right 10 degrees"),
                                    smallOptions(25));
    // 10° is a fifth of the 50° view: 320 source px, seen at 2 source px per output px.
    const double expected = -320.0 / 2.0 / 24.0;
    const std::vector<double> steps = stripeSteps(renderer, 160.0);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        INFO("frame " << i + 1 << ": " << steps[i]);
        CHECK(steps[i] == Approx(expected).margin(0.1));
        if (i > 0) {
            CHECK(std::abs(steps[i] - steps[i - 1]) < 0.05);  // the second difference
        }
    }
    // And the texture moves as a whole: tracked features agree with the stripes.
    const cv::Mat still = texture(1600, 900);
    const AnimaticRenderer textured(still, parseMotionPrompt("linear pan right 10 degrees"),
                                    smallOptions(25));
    CHECK(measuredShift(grey(textured.frame(3)), grey(textured.frame(4))).x ==
          Approx(expected).margin(0.1));
}

TEST_CASE("A slow pan moves by fractions of a pixel without stepping", "[motion][render]") {
    const AnimaticRenderer renderer(
        stripes(1600, 900, 160.0), parseMotionPrompt("linear pan left 1 degree"), smallOptions(49));
    // 1° is 32 source px over 48 frames, seen at 1568/640 source px per output px.
    const double expected = 32.0 / (1568.0 / 640.0) / 48.0;
    const std::vector<double> steps = stripeSteps(renderer, 160.0);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        INFO("frame " << i + 1 << ": " << steps[i]);
        CHECK(steps[i] == Approx(expected).margin(0.1));
        if (i > 0) {
            CHECK(std::abs(steps[i] - steps[i - 1]) < 0.05);
        }
    }
}

TEST_CASE("A zoom scales about the centre of the view", "[motion][render]") {
    const cv::Mat still = texture(1280, 720);
    const AnimaticRenderer renderer(still, parseMotionPrompt("linear zoom in 50%"),
                                    smallOptions(13));
    const cv::Mat first = renderer.frame(0);
    const cv::Mat last = renderer.frame(12);
    // The last frame is the middle two thirds of the first, enlarged 1.5 times.
    cv::Mat expected;
    const cv::Matx23d enlarge(1 / 1.5, 0, (639.0 - 639.0 / 1.5) / 2.0 * 1.0, 0, 1 / 1.5,
                              (359.0 - 359.0 / 1.5) / 2.0);
    cv::warpAffine(first, expected, enlarge, first.size(), cv::INTER_CUBIC | cv::WARP_INVERSE_MAP);
    const cv::Rect inner(64, 36, 512, 288);
    CHECK(cv::PSNR(last(inner), expected(inner)) > 30.0);
    const cv::Point2d shift = cv::phaseCorrelate(grey(last(inner)), grey(expected(inner)));
    CHECK(std::abs(shift.x) < 0.2);
    CHECK(std::abs(shift.y) < 0.2);
}

TEST_CASE("The same shot renders the same frames every time", "[motion][render]") {
    const cv::Mat still = texture(800, 450);
    AnimaticOptions options = smallOptions(10);
    options.seed = 99;
    options.shutterAngle = 180;
    const MotionPlan plan = parseMotionPrompt("handheld push in");
    const AnimaticRenderer a(still, plan, options);
    const AnimaticRenderer b(still, plan, options);
    for (int i = 0; i < 10; i += 3) {
        CHECK(cv::norm(a.frame(i), b.frame(i), cv::NORM_INF) == 0);
    }
    options.seed = 100;
    const AnimaticRenderer other(still, plan, options);
    CHECK(cv::norm(a.frame(5), other.frame(5), cv::NORM_INF) > 0);
}

TEST_CASE("The view never leaves the picture, whatever the move", "[motion][render]") {
    for (const char* prompt :
         {"pan left 30 degrees", "truck right 40%", "roll clockwise 20 degrees", "zoom out 60%",
          "fast orbit left then tilt down 15 degrees"}) {
        INFO(prompt);
        const CameraPath path(parseMotionPrompt(prompt), {1920, 1080}, {1280, 720}, 4.0, 1);
        for (double t = 0.0; t <= 4.0; t += 0.25) {
            const CameraPose pose = path.at(t);
            const double halfWidth = pose.viewWidth / 2.0;
            const double halfHeight = halfWidth * 720.0 / 1280.0;
            const double a = pose.rollDegrees * 3.14159265358979 / 180.0;
            const double extentX =
                halfWidth * std::abs(std::cos(a)) + halfHeight * std::abs(std::sin(a));
            const double extentY =
                halfWidth * std::abs(std::sin(a)) + halfHeight * std::abs(std::cos(a));
            CHECK(pose.centerX + 0.5 - extentX >= -0.01);
            CHECK(pose.centerX + 0.5 + extentX <= 1920.01);
            CHECK(pose.centerY + 0.5 - extentY >= -0.01);
            CHECK(pose.centerY + 0.5 + extentY <= 1080.01);
        }
    }
}

namespace {

// Stripe displacement between two frames in a band of columns, in output pixels.
double bandShift(const cv::Mat& first, const cv::Mat& last, int from, int to, double period) {
    const double a = stripePosition(first.colRange(from, to), period);
    const double b = stripePosition(last.colRange(from, to), period);
    double shift = b - a;
    return shift - period * std::round(shift / period);
}

}  // namespace

TEST_CASE("Parallax moves near layers more than far ones", "[motion][render][parallax]") {
    const cv::Mat still = stripes(1600, 900, 160.0);
    cv::Mat depth(900, 1600, CV_32F, cv::Scalar(0.0f));  // left half far
    depth.colRange(800, 1600).setTo(1.0f);               // right half near
    AnimaticOptions options = smallOptions(5);
    const MotionPlan plan = parseMotionPrompt("linear truck right 4%");
    const AnimaticRenderer flat(still, plan, options);
    options.depth = depth;
    const AnimaticRenderer layered(still, plan, options);
    // The stripes' period on screen, and bands well inside each half of the picture.
    const double period = 160.0 / (flat.path().at(0).viewWidth / 640.0);
    const double flatFar = bandShift(flat.frame(0), flat.frame(2), 40, 200, period);
    const double flatNear = bandShift(flat.frame(0), flat.frame(2), 440, 600, period);
    const double far = bandShift(layered.frame(0), layered.frame(2), 40, 200, period);
    const double near = bandShift(layered.frame(0), layered.frame(2), 440, 600, period);
    INFO("flat " << flatFar << " / " << flatNear << ", layered " << far << " / " << near);
    CHECK(flatNear == Approx(flatFar).margin(0.05));
    // Truck right: content moves left; the near half by 1.5x the base move, the far by 0.5x.
    CHECK(near == Approx(1.5 * flatNear).margin(0.15));
    CHECK(far == Approx(0.5 * flatFar).margin(0.15));
}

TEST_CASE("The built-in depth estimate puts the ground nearer than the sky", "[motion][parallax]") {
    const cv::Mat still = texture(320, 180);
    const cv::Mat depth = estimateDepth(still);
    REQUIRE(depth.size() == still.size());
    REQUIRE(depth.type() == CV_32F);
    CHECK(cv::mean(depth.rowRange(150, 180))[0] > cv::mean(depth.rowRange(0, 30))[0] + 0.2);
    double low = 0.0;
    double high = 0.0;
    cv::minMaxLoc(depth, &low, &high);
    CHECK(low >= 0.0);
    CHECK(high <= 1.0);
}
