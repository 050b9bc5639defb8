#include "core/infer/models/hunyuan/hy_constants.h"

namespace storyreel::infer::hunyuan {

const std::string_view kHunyuanI2VPromptTemplate =
    "<|start_header_id|>system<|end_header_id|>\n\n<image>\nDescribe the video by detailing the "
    "following aspects according to the reference image: "
    "1. The main content and theme of the video."
    "2. The color, shape, size, texture, quantity, text, and spatial relationships of the "
    "objects."
    "3. Actions, events, behaviors temporal relationships, physical movement changes of the "
    "objects."
    "4. background environment, light, style and atmosphere."
    "5. camera angles, movements, and transitions used in the video:<|eot_id|>\n\n"
    "<|start_header_id|>user<|end_header_id|>\n\n{}<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\n";

const std::string_view kHunyuanNegativePromptI2V =
    "deformation, a poor composition and deformed video, bad teeth, bad eyes, bad limbs";

double hunyuanDefaultShift(bool stability) {
    return stability ? kHunyuanShiftStable : kHunyuanShiftDynamic;
}

}  // namespace storyreel::infer::hunyuan
