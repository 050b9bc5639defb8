#!/usr/bin/env python3
"""One Wan 2.1 DiT denoising step in the reference Python implementation, timed.

The reference half of `storyreel-bench-infer wan-step` (core/infer/bench/wan_step_bench.h),
which runs this script as a child process so that each implementation's peak memory is its
own. It loads the reference's WanModel (wan/modules/model.py, used as is) from --ref, gives
it the weights Storyreel wrote (--weights, a safetensors file whose __metadata__ "config"
holds the WanModel constructor arguments) or, with --random-weights SEED, draws them on the
device by the rule Storyreel uses (reference_step_common.seeded_weight), takes the same inputs
(--inputs), and runs one denoising step as wan/image2video.py generate does: the
conditional and the unconditional forward (context / context_null, both with clip_fea and
y) and uncond + guide_scale * (cond - uncond). Warm-up, then --repeats timed steps; prints
one JSON object (median seconds, peak RSS, threads, ...) on stdout and, with --save, writes
the outputs as safetensors (out.cond, out.uncond, out.noise_pred) for the agreement check.

    python3 tools/bench/wan_reference_step.py --ref WAN2.1_CLONE --weights w.safetensors \
        --inputs in.safetensors --threads 2 --repeats 3 --save out.safetensors

The reference code: `git clone https://github.com/Wan-Video/Wan2.1` (--ref is the clone, or
any folder holding its `wan/` package). Needs Python 3 and PyTorch (Debian 12:
packaging/install-bench-deps.sh installs python3-torch 1.13, CPU); no file of the
reference is edited. Shims, the same as for the golden data (../shared/golden/wan/README.md):

- wan.modules.attention.flash_attention (flash-attn is absent on the CPU and optional on a
  GPU) is replaced, before wan.modules.model imports it, by the plain attention that keeps
  flash-attn's varlen semantics: keys beyond k_lens excluded per batch row, output in q's
  dtype. On CUDA q, k, v are cast to a half dtype first, as flash_attention does; on the
  CPU it computes in float32 (flash would use bfloat16). torch >= 2.0:
  F.scaled_dot_product_attention (without a mask when no key is padding, so CUDA can pick
  its flash kernel); torch 1.13: softmax(q k^T / sqrt(C)) v.
- The `wan` and `wan.modules` packages are entered without running their __init__.py
  (they import the whole pipeline: T5 tokenizers, CLIP, VAE, PIL, ...), so only
  wan/modules/attention.py and wan/modules/model.py execute.
- diffusers (wan/modules/model.py's base classes ModelMixin, ConfigMixin and the
  register_to_config decorator, never called on the forward path) is used when importable
  (add --deps DIR to sys.path), otherwise stubbed: ModelMixin = torch.nn.Module, ConfigMixin
  = object, register_to_config = the identity.
"""

import argparse
import contextlib
import importlib
import os
import sys
import time
import types

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_step_common import (  # noqa: E402 - arguments, weights, timing, report
    add_common_arguments,
    build_model,
    fail,
    load_config,
    measure_steps,
    print_report,
    read_tensors,
    write_tensors,
)

PROGRAM = "wan_reference_step"


def plain_flash_attention(q, k, v, q_lens=None, k_lens=None, dropout_p=0.0, softmax_scale=None,
                          q_scale=None, causal=False, window_size=(-1, -1), deterministic=False,
                          dtype=torch.bfloat16, version=None):
    """flash_attention's contract (q [B, Lq, N, C], k and v [B, Lk, N, C], keys beyond
    k_lens[b] excluded) without flash-attn. Wan's DiT passes no q_lens, no window, no
    dropout."""
    assert q_lens is None and not causal and dropout_p == 0.0
    assert tuple(window_size) == (-1, -1)
    out_dtype = q.dtype
    if q.is_cuda:
        half_dtypes = (torch.float16, torch.bfloat16)
        q, k, v = (u if u.dtype in half_dtypes else u.to(dtype) for u in (q, k, v))
    q = q.to(v.dtype)
    k = k.to(v.dtype)
    if q_scale is not None:
        q = q * q_scale
    lk = k.size(1)
    mask = None
    if k_lens is not None and bool((k_lens.to(torch.long) < lk).any()):
        positions = torch.arange(lk, device=k.device)
        mask = (positions[None, :] < k_lens.to(k.device)[:, None])[:, None, None, :]
    qh, kh, vh = (u.transpose(1, 2) for u in (q, k, v))
    if hasattr(F, "scaled_dot_product_attention"):
        kwargs = {} if softmax_scale is None else {"scale": softmax_scale}
        out = F.scaled_dot_product_attention(qh, kh, vh, attn_mask=mask, **kwargs)
    else:
        scale = softmax_scale if softmax_scale is not None else q.size(-1) ** -0.5
        scores = torch.matmul(qh * scale, kh.transpose(-1, -2))
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        out = torch.matmul(scores.softmax(-1), vh)
    return out.transpose(1, 2).contiguous().type(out_dtype)


def import_reference(ref, deps):
    root = ref if os.path.isfile(os.path.join(ref, "wan", "modules", "model.py")) else None
    if root is None:
        fail(PROGRAM, f"{ref} holds no wan/modules/model.py; get it with "
                 "`git clone https://github.com/Wan-Video/Wan2.1` and pass the clone")
    if deps:
        sys.path.insert(0, deps)
    sys.path.insert(0, root)
    try:
        importlib.import_module("diffusers.models.modeling_utils")
        shims = ["flash_attention -> plain attention", "wan packages entered without __init__"]
    except Exception:  # noqa: BLE001 - any failure means: no usable diffusers here
        configuration = types.ModuleType("diffusers.configuration_utils")
        configuration.ConfigMixin = object
        configuration.register_to_config = lambda init: init
        modeling = types.ModuleType("diffusers.models.modeling_utils")
        modeling.ModelMixin = torch.nn.Module
        for name, module in (("diffusers", types.ModuleType("diffusers")),
                             ("diffusers.models", types.ModuleType("diffusers.models")),
                             ("diffusers.configuration_utils", configuration),
                             ("diffusers.models.modeling_utils", modeling)):
            sys.modules[name] = module
        shims = ["flash_attention -> plain attention", "wan packages entered without __init__",
                 "diffusers stubbed"]
    for package, folder in (("wan", "wan"), ("wan.modules", os.path.join("wan", "modules"))):
        module = types.ModuleType(package)
        module.__path__ = [os.path.join(root, folder)]
        sys.modules[package] = module
    attention = importlib.import_module("wan.modules.attention")
    attention.flash_attention = plain_flash_attention
    model = importlib.import_module("wan.modules.model")
    model.flash_attention = plain_flash_attention
    return model.WanModel, shims


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common_arguments(
        parser, ref_help="folder holding the reference's wan/",
        deps_help="extra folder put first on sys.path (e.g. diffusers)",
        config_help="WanModel constructor arguments, JSON",
        dtype_help="bfloat16: autocast as image2video.py (param_dtype); CUDA only",
        save_help="write out.cond, out.uncond, out.noise_pred here")
    args = parser.parse_args()

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    WanModel, shims = import_reference(args.ref, args.deps)

    started = time.perf_counter()
    config = load_config(args, PROGRAM)
    config = {k: tuple(v) if isinstance(v, list) else v for k, v in config.items()}
    model = build_model(lambda: WanModel(**config), args, device, PROGRAM)
    inputs, input_metadata = read_tensors(args.inputs)
    guide_scale = float(input_metadata.get("guide_scale", "5.0"))
    seq_len = int(inputs["in.seq_len"].reshape(-1)[0])
    x = inputs["in.x"].to(device)
    y = inputs["in.y"].to(device)
    t = inputs["in.t"].to(device)
    clip_fea = inputs["in.clip_fea"].to(device)
    context = inputs["in.context"].to(device)
    context_null = inputs["in.context_null"].to(device)
    load_seconds = time.perf_counter() - started

    cuda = device.type == "cuda"
    # torch 1.13's CUDA autocast fails on a CPU build when asked for bfloat16: only build it
    # where it applies (on the CPU the reference's autocast is disabled anyway).
    use_autocast = cuda and args.dtype == "bfloat16"
    autocast = torch.cuda.amp.autocast(dtype=torch.bfloat16) if use_autocast \
        else contextlib.nullcontext()

    def step():
        with autocast, torch.no_grad():  # noqa: SIM117 (as image2video.py)
            cond = model([x], t=t, context=[context], seq_len=seq_len, clip_fea=clip_fea,
                         y=[y])[0]
            uncond = model([x], t=t, context=[context_null], seq_len=seq_len,
                           clip_fea=clip_fea, y=[y])[0]
            noise_pred = uncond + guide_scale * (cond - uncond)
        if cuda:
            torch.cuda.synchronize(device)
        return cond, uncond, noise_pred

    outputs, measured = measure_steps(step, args.warmup, args.repeats, device)
    if args.save and outputs is not None:
        write_tensors(args.save, dict(zip(("out.cond", "out.uncond", "out.noise_pred"),
                                          (u.float().cpu() for u in outputs))))
    print_report(args, device, config, seq_len, load_seconds, measured, shims)


if __name__ == "__main__":
    main()
