// Precompiled header for storyreel_infer and its tests: LibTorch's headers are most of the
// compile time of every translation unit here. Sources still include what they use.
#pragma once

#include <ATen/ATen.h>
#include <c10/core/Device.h>
#include <torch/cuda.h>

#include <string>
#include <vector>
