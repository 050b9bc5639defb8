#!/usr/bin/env python3
"""One HunyuanVideo-I2V DiT denoising step in the reference Python implementation, timed.

The reference half of `storyreel-bench-infer hunyuan-step` (core/infer/bench/
hunyuan_step_bench.h), which runs this script as a child process so that each
implementation's peak memory is its own. It loads the reference's
HYVideoDiffusionTransformer (hyvideo/modules/models.py, used as is) from --ref, gives it the
weights Storyreel wrote (--weights, a safetensors file whose __metadata__ "config" holds the
constructor arguments and the args it reads: i2v_condition_type, text_states_dim,
text_states_dim_2, rope_theta) or, with --random-weights SEED, draws them on the device by
the rule Storyreel uses (reference_step_common.seeded_weight), takes the same inputs
(--inputs), and runs one denoising step as the released I2V default does
(pipeline_hunyuan_video.py with cfg_scale 1: one forward of batch 1, token_replace,
embedded guidance in.guidance = 6.0 * 1000, autocast in --dtype on CUDA). The RoPE tables
come from the reference's own get_nd_rotary_pos_embed for the video size in the inputs'
metadata (inference.py get_rotary_pos_embed), and are compared with Storyreel's
(in.freqs_cos / in.freqs_sin). Warm-up, then --repeats timed steps; prints one JSON object
(seconds, peak RSS, threads, shims, ...) on stdout and, with --save, writes the output as
safetensors (out.x) for the agreement check.

    python3 tools/bench/hunyuan_reference_step.py --ref HUNYUAN_I2V_DIR --deps PYDEPS \
        --weights w.safetensors --inputs in.safetensors --threads 2 --repeats 3 \
        --save out.safetensors

The reference code: `git clone https://github.com/Tencent/HunyuanVideo-I2V` (--ref is the
clone, or any folder holding its `hyvideo/` package). Needs Python 3 and PyTorch (Debian 12:
packaging/install-bench-deps.sh installs python3-torch 1.13, CPU); einops (the models call
its rearrange) from --deps when it is not installed (`git -C <arogozhnikov/einops> archive
v0.7.0 einops | tar -x -C PYDEPS`). No file of the reference is edited. Shims, the same as
the golden generator's (../shared/golden/hunyuan/README.md, "Reference and environment"):

- hyvideo.modules.models.attention, mode 'flash' (flash_attn_varlen_func): used as is when
  flash-attn is importable on CUDA. Otherwise, on the CPU: the reference's own
  attention(mode='vanilla') with a boolean block mask built from cu_seqlens (each token
  attends only inside its varlen segment, [image + valid text] and [text padding]), or with
  --attention segments the same vanilla attention run on each segment alone, without a mask
  (what flash varlen computes, without the masked S x S scores); on CUDA without flash-attn
  (torch >= 2): F.scaled_dot_product_attention per segment, without a mask.
- hyvideo.modules.models.get_cu_seqlens allocates on "cuda": re-written to allocate on the
  text mask's device (same boundaries).
- hyvideo.modules.token_refiner.attention, mode 'torch' (F.scaled_dot_product_attention,
  torch >= 2): on torch 1.13 routed to mode 'vanilla' with the same boolean mask (SDPA
  with a boolean mask and no dropout is exactly that); untouched on torch >= 2.
- Never-called imports stubbed: deepspeed and torch.utils.tensorboard (imported by
  hyvideo/utils/helpers.py for its training helpers); diffusers (models.py's base classes
  ModelMixin, ConfigMixin and the register_to_config decorator) is used when importable
  (--deps), otherwise stubbed: ModelMixin = torch.nn.Module, ConfigMixin = object,
  register_to_config = the identity. Only hyvideo/modules/* and hyvideo/utils/helpers.py
  execute: safetensors, tokenizers, torchvision, imageio, loguru and transformers are never
  imported on this path.
- einops: the real package when importable; otherwise its one pattern the DiT uses,
  rearrange(x, "B L (K H D) -> K B L H D", K=3, H=heads), as a reshape and permute (any
  other pattern fails).
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

PROGRAM = "hunyuan_reference_step"


def stub_module(name, **attributes):
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    sys.modules[name] = module
    return module


def einops_rearrange(tensor, pattern, **sizes):
    """The one rearrange the DiT calls, for when einops is absent."""
    if pattern.replace(" ", "") != "BL(KHD)->KBLHD":
        raise NotImplementedError(f"einops shim: pattern {pattern!r}")
    b, length, width = tensor.shape
    k, h = sizes["K"], sizes["H"]
    return tensor.reshape(b, length, k, h, width // (k * h)).permute(2, 0, 1, 3, 4)


def install_stubs(deps):
    shims = []
    if deps:
        sys.path.insert(0, deps)
    stub_module("deepspeed")
    stub_module("torch.utils.tensorboard", SummaryWriter=object)
    try:
        importlib.import_module("einops")
    except ImportError:
        stub_module("einops", rearrange=einops_rearrange, repeat=None)
        shims.append("einops: its one DiT pattern as reshape + permute")
    try:
        importlib.import_module("diffusers.models")
        importlib.import_module("diffusers.configuration_utils")
    except Exception:  # noqa: BLE001 - any failure means: no usable diffusers here
        for name in list(sys.modules):
            if name == "diffusers" or name.startswith("diffusers."):
                del sys.modules[name]
        stub_module("diffusers")
        stub_module("diffusers.models", ModelMixin=torch.nn.Module)
        stub_module("diffusers.configuration_utils", ConfigMixin=object,
                    register_to_config=lambda init: init)
        shims.append("diffusers stubbed (ModelMixin = nn.Module)")
    shims.append("deepspeed, torch.utils.tensorboard stubbed")
    return shims


def segment_ids(cu_seqlens, batch, length, device):
    """[B, S] 0 for [image + valid text], 1 for the text padding, from cu_seqlens."""
    positions = torch.arange(length, device=device)
    ends = torch.stack([cu_seqlens[2 * i + 1] - i * length for i in range(batch)]).to(device)
    return (positions[None, :] >= ends[:, None]).to(torch.int8)


def per_segment(run, q, cu_seqlens_q, batch_size):
    """run(q, k, v slices [1, n, H, D]) -> [1, n, H, D] on each varlen segment of each row,
    as flash varlen does; returns [B, S, H * D]."""
    length = q.shape[1]
    out = torch.empty_like(q)
    for i in range(batch_size):
        end = int(cu_seqlens_q[2 * i + 1]) - i * length
        for begin, stop in ((0, end), (end, length)):
            if stop > begin:
                out[i:i + 1, begin:stop] = run(i, begin, stop)
    return out.reshape(q.shape[0], length, -1)


def import_reference(ref, deps, device, attention_mode):
    if not os.path.isfile(os.path.join(ref, "hyvideo", "modules", "models.py")):
        fail(PROGRAM, f"{ref} holds no hyvideo/modules/models.py; get it with `git clone "
             "https://github.com/Tencent/HunyuanVideo-I2V` and pass the clone")
    shims = install_stubs(deps)
    sys.path.insert(0, ref)
    attenion = importlib.import_module("hyvideo.modules.attenion")
    models = importlib.import_module("hyvideo.modules.models")
    token_refiner = importlib.import_module("hyvideo.modules.token_refiner")
    reference_attention = attenion.attention

    def get_cu_seqlens(text_mask, img_len):
        batch = text_mask.shape[0]
        text_len = text_mask.sum(dim=1)
        max_len = text_mask.shape[1] + img_len
        cu_seqlens = torch.zeros([2 * batch + 1], dtype=torch.int32, device=text_mask.device)
        for i in range(batch):
            cu_seqlens[2 * i + 1] = i * max_len + text_len[i] + img_len
            cu_seqlens[2 * i + 2] = (i + 1) * max_len
        return cu_seqlens

    models.get_cu_seqlens = get_cu_seqlens
    shims.append("get_cu_seqlens on the text mask's device")

    use_flash = device.type == "cuda" and attenion.flash_attn_varlen_func is not None
    if use_flash:
        shims.append("flash varlen attention (flash-attn) as is")
    elif device.type == "cuda" and hasattr(F, "scaled_dot_product_attention"):
        def segmented_attention(q, k, v, mode="flash", cu_seqlens_q=None, batch_size=1,
                                **kwargs):
            assert mode == "flash"

            def run(i, begin, stop):
                qs, ks, vs = (u[i:i + 1, begin:stop].transpose(1, 2) for u in (q, k, v))
                return F.scaled_dot_product_attention(qs, ks, vs).transpose(1, 2)

            return per_segment(run, q, cu_seqlens_q, batch_size)

        models.attention = segmented_attention
        shims.append("flash varlen attention -> scaled_dot_product_attention per segment")
    elif attention_mode == "segments":
        def vanilla_segments(q, k, v, mode="flash", cu_seqlens_q=None, batch_size=1, **kwargs):
            assert mode == "flash"

            def run(i, begin, stop):
                parts = (u[i:i + 1, begin:stop] for u in (q, k, v))
                out = reference_attention(*parts, mode="vanilla")
                return out.view(1, stop - begin, q.shape[2], q.shape[3])

            return per_segment(run, q, cu_seqlens_q, batch_size)

        models.attention = vanilla_segments
        shims.append("flash varlen attention -> reference vanilla attention per segment")
    else:
        def block_mask_attention(q, k, v, mode="flash", cu_seqlens_q=None, batch_size=1,
                                 **kwargs):
            assert mode == "flash"
            ids = segment_ids(cu_seqlens_q, batch_size, q.shape[1], q.device)
            mask = (ids[:, None, :, None] == ids[:, None, None, :])
            return reference_attention(q, k, v, mode="vanilla", attn_mask=mask)

        models.attention = block_mask_attention
        shims.append("flash varlen attention -> reference vanilla attention, block mask")

    if not hasattr(F, "scaled_dot_product_attention"):
        def refiner_attention(q, k, v, mode="torch", attn_mask=None, **kwargs):
            return reference_attention(q, k, v, mode="vanilla" if mode == "torch" else mode,
                                       attn_mask=attn_mask, **kwargs)

        token_refiner.attention = refiner_attention
        shims.append("token refiner attention 'torch' -> 'vanilla'")
    posemb = importlib.import_module("hyvideo.modules.posemb_layers")
    return models.HYVideoDiffusionTransformer, posemb, shims


def rotary_tables(posemb, config, video_length, height, width):
    """inference.py get_rotary_pos_embed for a 884 VAE (<= 192 frames)."""
    latents = [(video_length - 1) // 4 + 1, height // 8, width // 8]
    rope_sizes = [s // p for s, p in zip(latents, config["patch_size"])]
    return posemb.get_nd_rotary_pos_embed(config["rope_dim_list"], rope_sizes,
                                          theta=config.get("rope_theta", 256), use_real=True,
                                          theta_rescale_factor=1)


def relative_error(got, want):
    got, want = got.double(), want.double()
    return float((got - want).norm() / want.norm())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common_arguments(
        parser, ref_help="folder holding the reference's hyvideo/",
        deps_help="extra folder put first on sys.path (einops, diffusers)",
        config_help="constructor arguments and args, JSON",
        dtype_help="bfloat16: weights and autocast as the pipeline (CUDA only; "
                   "float32 on the CPU)",
        save_help="write out.x here")
    parser.add_argument("--attention", default="block-mask", choices=["block-mask", "segments"],
                        help="without flash-attn: vanilla attention with the varlen block "
                             "mask (the golden data's shim) or on each segment alone")
    args = parser.parse_args()

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    Transformer, posemb, shims = import_reference(args.ref, args.deps, device, args.attention)

    started = time.perf_counter()
    config = load_config(args, PROGRAM)
    model_args = types.SimpleNamespace(
        i2v_condition_type=config.pop("i2v_condition_type", "token_replace"),
        text_states_dim=config.pop("text_states_dim"),
        text_states_dim_2=config.pop("text_states_dim_2"),
        gradient_checkpoint=False, gradient_checkpoint_layers=-1)
    rope_theta = config.pop("rope_theta", 256)
    cuda = device.type == "cuda"
    # As the pipeline: bf16 weights and autocast on CUDA only (its autocast is a CUDA one).
    dtype = torch.bfloat16 if args.dtype == "bfloat16" and cuda else torch.float32
    # Weights drawn on the device are built in the pipeline's dtype (inference.py
    # factor_kwargs); a file holds float32.
    build_dtype = dtype if args.weights is None and cuda else None
    model = build_model(lambda: Transformer(model_args, **config, dtype=build_dtype), args,
                        device, PROGRAM, dtype)

    inputs, metadata = read_tensors(args.inputs)
    video_length, height, width = (int(metadata[key]) for key in ("frames", "height", "width"))
    config["rope_theta"] = rope_theta
    if video_length <= 192:
        freqs_cos, freqs_sin = rotary_tables(posemb, config, video_length, height, width)
        rope_error = max(relative_error(freqs_cos, inputs["in.freqs_cos"]),
                         relative_error(freqs_sin, inputs["in.freqs_sin"]))
    else:  # RIFLEx: inference.py's own branch, not a posemb_layers function; Storyreel's
        freqs_cos, freqs_sin = inputs["in.freqs_cos"], inputs["in.freqs_sin"]
        rope_error = None
        shims.append("RoPE tables (RIFLEx) from the inputs")
    step_inputs = dict(
        x=inputs["in.x"].to(device),
        t=inputs["in.t"].to(device),
        text_states=inputs["in.text_states"].to(device),
        text_mask=inputs["in.text_mask"].to(device),
        text_states_2=inputs["in.text_states_2"].to(device),
        freqs_cos=freqs_cos.to(device),
        freqs_sin=freqs_sin.to(device),
        guidance=inputs["in.guidance"].to(device),
    )
    load_seconds = time.perf_counter() - started

    autocast = torch.autocast(device_type="cuda", dtype=dtype) \
        if cuda and dtype != torch.float32 else contextlib.nullcontext()

    def step():
        with autocast, torch.no_grad():
            out = model(**step_inputs, return_dict=True)["x"]
        if cuda:
            torch.cuda.synchronize(device)
        return out

    out, measured = measure_steps(step, args.warmup, args.repeats, device)
    if args.save and out is not None:
        write_tensors(args.save, {"out.x": out.float().cpu()})
    print_report(args, device, config, int(freqs_cos.shape[0]), load_seconds, measured, shims,
                 rope_table_error=rope_error)


if __name__ == "__main__":
    main()
