// PthReader: the tensors of a PyTorch checkpoint written by torch.save (`.pth`, `.pt`,
// `.ckpt`; the zip format of PyTorch >= 1.6, also what LibTorch's pickle_save writes). The
// file is memory-mapped; opening reads the ZIP directory, `<archive>/byteorder`,
// `<archive>/version` and interprets `<archive>/data.pkl` with a restricted reader that
// executes nothing (TorchPickle: any global but the few a tensor state dict needs is
// refused). Tensor bytes (`<archive>/data/<key>`) are read only when a tensor is asked for.
//
// Names: nested dicts are flattened with dots, list and tuple items by index, so
// {"model": {"blocks.0.w": t}} lists "model.blocks.0.w" (HunyuanVideo's "module" and
// "ema" wrappers stay visible; callers strip the prefix they want). A bare tensor is named
// "". Non-tensor values (epoch counters, strings, None) are skipped.
//
//   PthReader reader("Wan2.1_VAE.pth");                    // throws UserError
//   for (const std::string& name : reader.names()) use(reader.info(name).tensor.shape);
//   at::Tensor w = reader.tensor("encoder.conv1.weight");  // float32, contiguous, read now
//
// Thread-safety: immutable after construction; const methods from any thread.
#pragma once

#include "core/infer/weights/mapped_file.h"
#include "core/infer/weights/tensor_info.h"
#include "core/infer/weights/zip_archive.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace storyreel::infer {

struct PthTensorInfo {
    // Name, element type, shape; offsetBytes is the file offset of the first element and
    // sizeBytes the bytes the view spans (from it to its last element). Views of one storage
    // overlap.
    TensorInfo tensor;
    // The ZIP entry that holds the storage ("archive/data/0").
    std::string storageEntry;
    // In elements, as torch stores them.
    std::int64_t storageOffset = 0;
    std::vector<std::int64_t> strides;
    // The device the tensor was saved from ("cpu", "cuda:0"); it is read to the CPU.
    std::string location;

    // True when the elements lie in row-major order without gaps.
    bool isContiguous() const;
};

class PthReader {
public:
    // The limit on data.pkl, which holds only names and shapes.
    static constexpr std::uint64_t kMaxPickleBytes = 1'000'000'000;

    explicit PthReader(const std::filesystem::path& path);

    PthReader(const PthReader&) = delete;
    PthReader& operator=(const PthReader&) = delete;

    const std::filesystem::path& path() const { return file_.path(); }
    // The folder every entry sits in ("archive", or the saved file's stem).
    const std::string& archiveName() const { return archiveName_; }
    // The `version` record (3 for current PyTorch); 0 when absent.
    std::int64_t formatVersion() const { return formatVersion_; }

    // In pickle order.
    const std::vector<PthTensorInfo>& tensors() const { return tensors_; }
    // Every tensor name, sorted.
    std::vector<std::string> names() const;
    bool contains(std::string_view name) const;
    // Throws UserError for an unknown name.
    const PthTensorInfo& info(std::string_view name) const;
    // The values as a contiguous float32 tensor of the stored shape (strided views gathered,
    // integers and bools converted, f16/bf16/fp8 decoded exactly).
    at::Tensor tensor(std::string_view name) const;

private:
    class Layout;

    void readSmallRecords();

    MappedFile file_;
    ZipArchive zip_;
    std::string archiveName_;
    std::int64_t formatVersion_ = 0;
    std::vector<PthTensorInfo> tensors_;
    std::unordered_map<std::string, std::size_t> byName_;
};

}  // namespace storyreel::infer
