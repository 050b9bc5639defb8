#include "core/motion/camera_path.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace storyreel::motion {
namespace {

constexpr double kPi = 3.14159265358979323846;
// A still has no depth: angular moves become shifts of the view, as with a 50° lens.
constexpr double kHorizontalFieldDegrees = 50.0;

double ease(Easing easing, double p) {
    p = std::clamp(p, 0.0, 1.0);
    switch (easing) {
        case Easing::Linear:
            return p;
        case Easing::EaseIn:
            return p * p;
        case Easing::EaseOut:
            return 1.0 - (1.0 - p) * (1.0 - p);
        case Easing::EaseInOut:
            return p * p * (3.0 - 2.0 * p);  // smoothstep: no jolt at either end
    }
    return p;
}

// What a move amounts to over its whole segment when the prompt gave no figure.
double defaultAmount(MoveKind kind) {
    switch (kind) {
        case MoveKind::Zoom:
            return 0.25;
        case MoveKind::Dolly:
            return 0.3;
        case MoveKind::Pan:
            return 10.0;
        case MoveKind::Tilt:
            return 6.0;
        case MoveKind::Truck:
            return 0.15;
        case MoveKind::Pedestal:
            return 0.12;
        case MoveKind::Orbit:
            return 15.0;
        case MoveKind::Roll:
            return 8.0;
        case MoveKind::Shake:
            return 0.4;
    }
    return 0.0;
}

// Smooth, repeatable wobble: three incommensurate sines with seeded phases.
double wobble(double t, std::uint64_t seed, int channel) {
    double value = 0.0;
    const double frequencies[] = {0.7, 1.3, 2.9};
    for (int k = 0; k < 3; ++k) {
        const std::uint64_t mixed =
            seed * 6364136223846793005ULL + (channel * 3 + k) * 1442695040888963407ULL;
        const double phase = double(mixed >> 11) / double(1ULL << 53) * 2.0 * kPi;
        value += std::sin(2.0 * kPi * frequencies[k] * t + phase) / (k + 1);
    }
    return value / 1.83;  // about -1..1
}

}  // namespace

CameraPath::CameraPath(const MotionPlan& plan, Size2 source, Size2 output, double seconds,
                       std::uint64_t seed, bool life)
    : plan_(plan),
      source_(source),
      output_(output),
      seconds_(std::max(seconds, 1e-3)),
      seed_(seed),
      life_(life) {
    const double outputAspect = double(output.width) / output.height;
    const double sourceAspect = double(source.width) / source.height;
    coverWidth_ = sourceAspect > outputAspect ? source.height * outputAspect : source.width;
    coverHeight_ = coverWidth_ / outputAspect;
    // Sample the path, centre its range on the picture, then find the zoom that keeps
    // every view (rolled views included) inside it.
    constexpr int kSamples = 400;
    double minX = 1e9, maxX = -1e9, minY = 1e9, maxY = -1e9;
    std::vector<Raw> samples;
    for (int i = 0; i <= kSamples; ++i) {
        samples.push_back(raw(seconds_ * i / kSamples));
        minX = std::min(minX, samples.back().x);
        maxX = std::max(maxX, samples.back().x);
        minY = std::min(minY, samples.back().y);
        maxY = std::max(maxY, samples.back().y);
    }
    offsetX_ = -(minX + maxX) / 2.0;
    offsetY_ = -(minY + maxY) / 2.0;
    fitZoom_ = 1.0;
    for (const Raw& sample : samples) {
        const double roll = sample.roll * kPi / 180.0;
        const double w = coverWidth_ / sample.zoom;
        const double h = coverHeight_ / sample.zoom;
        const double halfX = (w * std::abs(std::cos(roll)) + h * std::abs(std::sin(roll))) / 2.0;
        const double halfY = (w * std::abs(std::sin(roll)) + h * std::abs(std::cos(roll))) / 2.0;
        const double cx = source.width / 2.0 + (sample.x + offsetX_) * coverWidth_;
        const double cy = source.height / 2.0 + (sample.y + offsetY_) * coverHeight_;
        const double roomX = std::min(cx, source.width - cx);
        const double roomY = std::min(cy, source.height - cy);
        if (roomX <= 0.0 || roomY <= 0.0) {
            continue;  // an impossible move; it is limited by the zoom of its neighbours
        }
        fitZoom_ = std::max({fitZoom_, halfX / roomX, halfY / roomY});
    }
}

CameraPath::Raw CameraPath::raw(double t) const {
    Raw pose;
    const std::size_t count = plan_.segments.size();
    const double segmentSeconds = seconds_ / double(count);
    for (std::size_t s = 0; s < count; ++s) {
        const MotionSegment& segment = plan_.segments[s];
        const double progress = ease(segment.easing, (t - s * segmentSeconds) / segmentSeconds);
        for (const Move& move : segment.moves) {
            const double amount =
                move.amount >= 0.0 ? move.amount : defaultAmount(move.kind) * segment.speed;
            const double d = move.direction * amount * progress;
            switch (move.kind) {
                case MoveKind::Zoom:
                case MoveKind::Dolly: {
                    const double factor = move.direction > 0 ? 1.0 + amount * progress
                                                             : 1.0 / (1.0 + amount * progress);
                    pose.zoom *= factor;
                    if (move.kind == MoveKind::Dolly) {
                        pose.dolly *= factor;
                    }
                    break;
                }
                case MoveKind::Pan:
                    pose.x += d / kHorizontalFieldDegrees;
                    break;
                case MoveKind::Orbit:
                    pose.x -= d / (2.0 * kHorizontalFieldDegrees);  // the view swings the other way
                    pose.travelX += d / kHorizontalFieldDegrees;
                    pose.roll += d * 0.05;
                    break;
                case MoveKind::Truck:
                    pose.x += d;
                    pose.travelX += d;
                    break;
                case MoveKind::Tilt:
                    pose.y -= d / kHorizontalFieldDegrees * coverWidth_ / coverHeight_;
                    break;
                case MoveKind::Pedestal:
                    pose.y -= d;
                    pose.travelY -= d;
                    break;
                case MoveKind::Roll:
                    pose.roll += d;
                    break;
                case MoveKind::Shake: {
                    const double strength = amount * 0.012;
                    if (t >= s * segmentSeconds && t <= (s + 1) * segmentSeconds) {
                        pose.x += strength * wobble(t, seed_, 0);
                        pose.y += strength * wobble(t, seed_, 1);
                        pose.roll += amount * 0.4 * wobble(t, seed_, 2);
                    }
                    break;
                }
            }
        }
    }
    if (life_ && plan_.isStatic()) {
        pose.zoom *= 1.0 + 0.008 * (1.0 - std::cos(2.0 * kPi * t / 6.0)) / 2.0;
    }
    return pose;
}

CameraPose CameraPath::at(double seconds) const {
    const Raw pose = raw(std::clamp(seconds, 0.0, seconds_));
    return {source_.width / 2.0 - 0.5 + (pose.x + offsetX_) * coverWidth_,
            source_.height / 2.0 - 0.5 + (pose.y + offsetY_) * coverHeight_,
            coverWidth_ / (pose.zoom * fitZoom_),
            pose.roll,
            pose.travelX * coverWidth_,
            pose.travelY * coverHeight_,
            pose.dolly};
}

}  // namespace storyreel::motion
