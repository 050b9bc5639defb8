// Depth for the Animatic engine's 2.5D parallax: a float map the size of the still, 0 far to
// 1 near. Either the user's own (a greyscale image beside the frame, white = near) or a
// built-in estimate.
//
//   cv::Mat depth = loadDepthMap("shot_1_depth.png", still.size());
//   cv::Mat guess = estimateDepth(still);
//
// Thread-safety: pure functions.
#pragma once

#include <opencv2/core.hpp>

#include <filesystem>

namespace storyreel::motion {

// Throws UserError naming the file when it is not an image. Resized to the still and
// softened a little, so layer edges bend instead of tearing.
cv::Mat loadDepthMap(const std::filesystem::path& file, cv::Size stillSize);

// The built-in estimate, for pictures without a depth map. Storyboard frames are mostly
// staged with the ground rising to the horizon, so height in the frame is the main cue
// (lower is nearer: 70%); detailed, high-contrast areas are usually the subject in front
// (30%). Both are smoothed heavily: a wrong but smooth depth bends, a sharp one tears.
cv::Mat estimateDepth(const cv::Mat& stillBgr);

}  // namespace storyreel::motion
