// BlockSwapRunner on a stack of tiny attention + MLP blocks: whatever the number of
// resident blocks, the output is bit-identical to running every block where it lies, the
// swapped blocks are copied in once per pass and given back afterwards, even on errors.
#include "core/infer/memory/block_swap.h"

#include "core/base/cancel_token.h"
#include "core/base/user_error.h"
#include "core/infer/memory/device_memory.h"
#include "tests/core/infer/memory/tiny_blocks.h"

#include <ATen/ATen.h>
#include <catch2/catch.hpp>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/cuda.h>

#include <iostream>
#include <stdexcept>

using storyreel::Cancelled;
using storyreel::CancelToken;
using storyreel::infer::BlockSwapRunner;
using storyreel::test::makeTinyStack;
using storyreel::test::modulesOf;
using storyreel::test::runAllResident;
using storyreel::test::TinyBlockShape;

namespace {

at::Tensor runSwapped(BlockSwapRunner& runner, const storyreel::test::TinyStack& stack,
                      const at::Tensor& x) {
    return runner.run(x, [&](std::size_t i, const at::Tensor& h) { return stack[i]->forward(h); });
}

}  // namespace

TEST_CASE("Block swap gives results identical to the all-resident run", "[infer][memory][swap]") {
    const torch::NoGradGuard noGrad;
    const TinyBlockShape shape{32, 4, 96, 4096};  // chunked attention, several chunks
    const at::Tensor x = at::randn({2, 17, 32});
    const auto reference = makeTinyStack(4, shape);
    const at::Tensor expected = runAllResident(reference, x);

    const int resident = GENERATE(0, 1, 3, 4);
    CAPTURE(resident);
    const auto stack = makeTinyStack(4, shape);  // same seed, same weights
    BlockSwapRunner runner(modulesOf(stack), c10::Device(c10::kCPU), resident);
    CHECK(runner.residentBlocks() == resident);

    // Two passes, as two denoising steps: the second reuses the host copies.
    CHECK(at::equal(runSwapped(runner, stack, x), expected));
    CHECK(at::equal(runSwapped(runner, stack, x), expected));
    const std::int64_t swapped = 4 - resident;
    CHECK(runner.stats().blockLoads == 2 * swapped);
    CHECK(runner.stats().bytesCopied == 2 * swapped * BlockSwapRunner::moduleBytes(*stack.front()));
}

TEST_CASE("A swapped block holds its weights only while it computes", "[infer][memory][swap]") {
    const torch::NoGradGuard noGrad;
    const auto stack = makeTinyStack(3, {16, 2, 32});
    BlockSwapRunner runner(modulesOf(stack), c10::Device(c10::kCPU), 1);
    const void* hostWeight = stack[2]->qkv->weight.data_ptr();
    runner.forEachBlock([&](std::size_t i) {
        // During its call a swapped block's weights are a fresh copy, not the host copy.
        if (i == 2) {
            CHECK(stack[2]->qkv->weight.data_ptr() != hostWeight);
        }
    });
    CHECK(stack[2]->qkv->weight.data_ptr() == hostWeight);
}

TEST_CASE("Block swap gives the host copies back when a block throws or is cancelled",
          "[infer][memory][swap]") {
    const torch::NoGradGuard noGrad;
    const auto stack = makeTinyStack(4, {16, 2, 32});
    BlockSwapRunner runner(modulesOf(stack), c10::Device(c10::kCPU), 1);
    std::vector<const void*> hostWeights;
    for (const auto& block : stack) {
        hostWeights.push_back(block->ffn0->weight.data_ptr());
    }
    CHECK_THROWS_AS(runner.forEachBlock([](std::size_t i) {
        if (i == 2) {
            throw std::runtime_error("out of memory");
        }
    }),
                    std::runtime_error);
    for (std::size_t i = 1; i < stack.size(); ++i) {
        CHECK(stack[i]->ffn0->weight.data_ptr() == hostWeights[i]);
    }

    CancelToken cancel;
    int calls = 0;
    CHECK_THROWS_AS(runner.forEachBlock(
                        [&](std::size_t) {
                            ++calls;
                            cancel.requestCancel();
                        },
                        &cancel),
                    Cancelled);
    CHECK(calls == 1);
    CHECK(stack[1]->ffn0->weight.data_ptr() == hostWeights[1]);
}

TEST_CASE("On CUDA, block swap is identical to all-resident and holds less memory",
          "[.cuda][infer][gpu-memory]") {
    REQUIRE(torch::cuda::is_available());
    const torch::NoGradGuard noGrad;
    const c10::Device cuda(c10::kCUDA, 0);
    const TinyBlockShape shape{1024, 16, 4096};
    const at::Tensor x = at::randn({1, 1024, 1024}).to(cuda);
    std::cout << storyreel::infer::PeakMemoryReport::tableHeader() << "\n";

    const auto resident = makeTinyStack(8, shape);
    for (const auto& block : resident) {
        block->to(cuda);
    }
    at::Tensor expected;
    {
        const storyreel::infer::PeakMemoryTracker tracker(cuda);
        expected = runAllResident(resident, x);
        std::cout << tracker.report().tableRow("all 8 blocks resident") << "\n";
    }
    for (const auto& block : resident) {
        block->to(c10::Device(c10::kCPU));
    }

    const auto stack = makeTinyStack(8, shape);
    BlockSwapRunner runner(modulesOf(stack), cuda, 2);
    at::Tensor swapped;
    {
        const storyreel::infer::PeakMemoryTracker tracker(cuda);
        swapped = runSwapped(runner, stack, x);
        const auto report = tracker.report();
        std::cout << report.tableRow("2 resident, 6 swapped") << "\n";
    }
    const bool identical = at::equal(swapped, expected);
    std::cout << "block swap results identical: " << (identical ? "yes" : "no") << "\n";
    CHECK(identical);
}
