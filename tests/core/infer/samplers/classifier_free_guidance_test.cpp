// Guidance arithmetic and the reference's default negative prompts, checked byte for byte
// against wan/configs (SHA-256 of the UTF-8 text at Wan2.1 commit 9737cba).
#include "core/infer/samplers/classifier_free_guidance.h"

#include "core/base/sha256.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <string>

using storyreel::sha256Hex;
using storyreel::infer::classifierFreeGuidance;
using storyreel::infer::kWanI2VNegativePrompt;
using storyreel::infer::kWanNegativePrompt;
using storyreel::infer::needsUnconditionalPass;

TEST_CASE("Guidance moves the unconditional prediction towards the conditional one",
          "[infer][wan][sampler]") {
    const at::Tensor cond = at::tensor({1.0f, 2.0f, -3.0f});
    const at::Tensor uncond = at::tensor({0.5f, 2.0f, 1.0f});
    // 0.5 + 5 * 0.5, 2 + 5 * 0, 1 + 5 * -4
    CHECK(at::equal(classifierFreeGuidance(cond, uncond, 5.0), at::tensor({3.0f, 2.0f, -19.0f})));
    CHECK(at::equal(classifierFreeGuidance(cond, uncond, 1.0), cond));
    CHECK_FALSE(needsUnconditionalPass(1.0));
    CHECK(needsUnconditionalPass(5.0));
}

TEST_CASE("The default negative prompts are the reference's text", "[infer][wan][sampler]") {
    // sample_neg_prompt of wan/configs/shared_config.py: 403 bytes of UTF-8.
    CHECK(kWanNegativePrompt.size() == 403);
    CHECK(sha256Hex(kWanNegativePrompt) ==
          "ce96e0324e4b54ce4b6e867f669ca520952e1a34cc116543516b1897f0d3c47e");
    // i2v_14B.sample_neg_prompt = "镜头晃动，" + the shared one.
    CHECK(std::string(kWanI2VNegativePrompt) == "镜头晃动，" + std::string(kWanNegativePrompt));
    CHECK(sha256Hex(kWanI2VNegativePrompt) ==
          "412753d092bcf3708424769cd0f54e27973d53a12e229e5492b718457213fc2f");
}
