"""What the reference halves of the DiT step benchmarks share.

wan_reference_step.py and hunyuan_reference_step.py (the reference halves of
`storyreel-bench-infer wan-step` and `hunyuan-step`, core/infer/bench/) differ in how they
import and call their model; everything around it is here: the command-line arguments
both take, the model's configuration (from the weights file's __metadata__ or --config),
building the model and giving it its weights (read from the file Storyreel wrote, or drawn
on the device by the rule Storyreel uses: seeded_weight, as core/infer/bench/
seeded_checkpoint.cpp), the timed loop (warm-up, repeats, wall and CPU seconds, peak RSS
and CUDA memory), the JSON report the bench reads and the safetensors files of inputs and
outputs.

    parser = argparse.ArgumentParser()
    add_common_arguments(parser, ref_help="folder holding the reference's wan/", ...)
    model = build_model(lambda: WanModel(**config), args, device, "wan_reference_step")
    outputs, measured = measure_steps(step, args.warmup, args.repeats, device)
    print_report(args, device, config, tokens, load_seconds, measured, shims)

Needs Python 3 and PyTorch (packaging/install-bench-deps.sh); standard library otherwise.
"""

import contextlib
import json
import math
import resource
import statistics
import struct
import sys
import time

import torch

DTYPES = {
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "F64": torch.float64,
    "I64": torch.int64,
    "I32": torch.int32,
}


def fail(program, message):
    sys.exit(f"{program}: {message}")


def add_common_arguments(parser, ref_help, deps_help, config_help, dtype_help, save_help):
    """The arguments the bench passes to both scripts (the help texts are each script's)."""
    parser.add_argument("--ref", required=True, help=ref_help)
    parser.add_argument("--deps", help=deps_help)
    parser.add_argument("--weights", help="safetensors state dict (its __metadata__ config)")
    parser.add_argument("--random-weights", type=int, metavar="SEED",
                        help="draw the weights on the device instead (needs --config)")
    parser.add_argument("--config", help=config_help)
    parser.add_argument("--inputs", required=True, help="safetensors with in.* tensors")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"],
                        help=dtype_help)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--save", help=save_help)


def read_header(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(length)), 8 + length


def read_tensors(path):
    """Every tensor of a (small) safetensors file, on the CPU, and its __metadata__."""
    header, base = read_header(path)
    metadata = header.pop("__metadata__", {})
    tensors = {}
    with open(path, "rb") as f:
        for name, info in header.items():
            begin, end = info["data_offsets"]
            f.seek(base + begin)
            data = bytearray(f.read(end - begin))
            dtype = DTYPES[info["dtype"]]
            tensors[name] = torch.frombuffer(data, dtype=dtype).reshape(info["shape"]) if data \
                else torch.empty(info["shape"], dtype=dtype)
    return tensors, metadata


def write_tensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = tensor.contiguous().numpy().tobytes()
        dtype = next(key for key, value in DTYPES.items() if value == tensor.dtype)
        header[name] = {"dtype": dtype, "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def load_config(args, program):
    """The model's configuration (a dict): the --weights file's __metadata__ "config", or
    --config with --random-weights."""
    if args.weights:
        header, _ = read_header(args.weights)
        if "config" not in header.get("__metadata__", {}):
            fail(program, f"{args.weights} has no __metadata__ config")
        return json.loads(header["__metadata__"]["config"])
    if args.random_weights is None or not args.config:
        fail(program, "give --weights, or --random-weights with --config")
    return json.loads(args.config)


def load_weights_into(model, path, program):
    """Reads each parameter of `model` from `path` straight into its storage (no second
    copy of the model in memory). Fails naming the tensor when one is missing or differs."""
    header, base = read_header(path)
    state = model.state_dict()
    missing = sorted(set(state) - set(header))
    unexpected = sorted(set(header) - set(state) - {"__metadata__"})
    if missing or unexpected:
        fail(program, f"{path}: missing {missing[:5]}, unexpected {unexpected[:5]}")
    with open(path, "rb", buffering=0) as f:
        for name, tensor in state.items():
            info = header[name]
            if list(info["shape"]) != list(tensor.shape) or DTYPES[info["dtype"]] != tensor.dtype:
                fail(program, f"{path}: {name} is {info['dtype']} {info['shape']}, "
                              f"the model needs {tensor.dtype} {list(tensor.shape)}")
            begin, end = info["data_offsets"]
            f.seek(base + begin)
            view = memoryview(tensor.numpy()).cast("B")
            if f.readinto(view) != end - begin:
                fail(program, f"{path}: {name} is truncated")


def seeded_weight(name, shape, seed, device):
    """The bench's random weights, drawn the same way by Storyreel (seeded_checkpoint.cpp):
    torch.manual_seed(seed), float32 N(0, 1), then matrices / sqrt(fan_in), modulations /
    sqrt(dim), 1-D weights (norm gains) 1 + 0.1 N, biases 0.1 N."""
    torch.manual_seed(seed)
    values = torch.randn(shape, dtype=torch.float32, device=device)
    if name.endswith("modulation"):
        return values / math.sqrt(shape[-1])
    if len(shape) == 1:
        return 1 + 0.1 * values if name.endswith(".weight") else 0.1 * values
    return values / math.sqrt(math.prod(shape[1:]))


def randomize_weights(model, seed, device):
    # Tensor i of the sorted names gets seed + i (as Storyreel's checkpoint lists them).
    with torch.no_grad():
        for index, (name, tensor) in enumerate(sorted(model.state_dict().items())):
            tensor.copy_(seeded_weight(name, list(tensor.shape), seed + index, device))


def build_model(construct, args, device, program, dtype=None):
    """construct() -> the model, in eval mode, with the weights of --weights (then moved to
    `device`, and cast to `dtype` when given) or drawn on `device` by --random-weights.
    Weights drawn on a GPU: the model is built there (torch >= 2.0) instead of initialised
    on the CPU first."""
    torch_major = int(torch.__version__.split(".")[0])
    build_on_device = args.weights is None and device.type != "cpu" and torch_major >= 2
    with torch.device(device) if build_on_device else contextlib.nullcontext():
        model = construct()
    model.eval().requires_grad_(False)
    if args.weights:
        load_weights_into(model, args.weights, program)
        if dtype is None:
            model.to(device)
        else:
            model.to(device, dtype)
    else:
        model.to(device)
        randomize_weights(model, args.random_weights, device)
    return model


def resident_bytes(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def reset_peak_resident():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def measure_steps(step, warmup, repeats, device):
    """Runs step() `warmup` times, then `repeats` timed times; returns its last output and
    the figures the bench reads (seconds, CPU seconds, peak RSS of the steps and of the
    process, CUDA peak allocated). step() synchronises the device itself."""
    cuda = device.type == "cuda"
    resident_after_load = resident_bytes("VmRSS")
    load_peak = resident_bytes("VmHWM")
    peak_reset = reset_peak_resident()
    if cuda:
        torch.cuda.reset_peak_memory_stats(device)
    out = None
    for _ in range(warmup):
        out = step()
    seconds, cpu_seconds = [], []
    for _ in range(repeats):
        begin, cpu_begin = time.perf_counter(), time.process_time()
        out = step()
        cpu_seconds.append(time.process_time() - cpu_begin)
        seconds.append(time.perf_counter() - begin)
    return out, {
        "seconds": seconds,
        "median_seconds": statistics.median(seconds) if seconds else None,
        "cpu_seconds": cpu_seconds,
        # The process's peak: VmHWM was reset after loading, so the larger of the two.
        "peak_rss_bytes": max(load_peak, resident_bytes("VmHWM"),
                              resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024),
        "step_peak_rss_bytes": resident_bytes("VmHWM") if peak_reset else None,
        "rss_after_load_bytes": resident_after_load,
        "cuda_peak_allocated_bytes": torch.cuda.max_memory_allocated(device) if cuda else 0,
    }


def print_report(args, device, config, tokens, load_seconds, measured, shims, **extra):
    """The one JSON line on stdout that the bench reads (the last line starting with '{');
    `extra` (e.g. rope_table_error) goes in after "tokens"."""
    result = {
        "implementation": "reference",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "device": str(device),
        "dtype": args.dtype,
        "config": config,
        "tokens": tokens,
        **extra,
        "load_seconds": load_seconds,
        **measured,
        "shims": shims,
    }
    print(json.dumps(result), flush=True)
