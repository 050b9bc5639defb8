#include "core/infer/models/wan/wan_norm.h"

#include <ATen/ATen.h>

namespace storyreel::infer::wan {

WanRMSNorm::WanRMSNorm(const at::Tensor& weight, double eps) : eps_(eps) {
    weight_ = register_parameter("weight", weight, /*requires_grad=*/false);
}

at::Tensor WanRMSNorm::forward(const at::Tensor& x) const {
    const at::Tensor xf = x.to(at::kFloat);
    const at::Tensor normed = xf * at::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps_);
    // The reference multiplies after type_as(x); the product takes the wider dtype, so with
    // a float32 gain it is float32 until the caller casts.
    return (normed.to(x.scalar_type()) * weight_.to(x.device())).to(x.scalar_type());
}

WanLayerNorm::WanLayerNorm(std::int64_t dim, double eps) : dim_(dim), eps_(eps) {}

WanLayerNorm::WanLayerNorm(const at::Tensor& weight, const at::Tensor& bias, double eps)
    : dim_(weight.size(0)), eps_(eps) {
    weight_ = register_parameter("weight", weight, /*requires_grad=*/false);
    bias_ = register_parameter("bias", bias, /*requires_grad=*/false);
}

at::Tensor WanLayerNorm::forward(const at::Tensor& x) const {
    const at::Tensor weight = weight_.defined() ? weight_.to(x.device(), at::kFloat) : weight_;
    const at::Tensor bias = bias_.defined() ? bias_.to(x.device(), at::kFloat) : bias_;
    return at::layer_norm(x.to(at::kFloat), {dim_}, weight, bias, eps_);
}

}  // namespace storyreel::infer::wan
