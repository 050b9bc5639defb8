// How a clip is played at another frame rate (see frame_rate_converter.h). A header of its
// own so that callers choosing a method need not see OpenCV.
#pragma once

namespace storyreel::media {

enum class FrameRateMethod { Repeat, Blend, MotionCompensated };

}  // namespace storyreel::media
