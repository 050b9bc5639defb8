#include "core/infer/models/hunyuan/hy_i2v_condition.h"

#include "core/base/user_error.h"

#include <string>

namespace storyreel::infer::hunyuan {

HunyuanI2VCondition parseHunyuanI2VCondition(std::string_view text) {
    if (text == "token_replace") {
        return HunyuanI2VCondition::TokenReplace;
    }
    if (text == "latent_concat") {
        return HunyuanI2VCondition::LatentConcat;
    }
    throw UserError("HunyuanVideo I2V: condition type '" + std::string(text) +
                    "' is not token_replace or latent_concat");
}

std::string_view hunyuanI2VConditionName(HunyuanI2VCondition condition) {
    return condition == HunyuanI2VCondition::TokenReplace ? "token_replace" : "latent_concat";
}

std::int64_t hunyuanDroppedLeadingFrames(HunyuanI2VCondition condition) {
    return condition == HunyuanI2VCondition::LatentConcat ? 4 : 0;
}

}  // namespace storyreel::infer::hunyuan
