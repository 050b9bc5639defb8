// HunyuanVAEConfig: the constructor arguments of HunyuanVideo's 3D causal VAE
// (hyvideo/vae/autoencoder_kl_causal_3d.py AutoencoderKLCausal3D, "884-16c-hy"), read from a
// diffusers-style JSON config (the released vae/config.json, the golden files' "config"), the
// released values, or the shapes of a checkpoint; and what they imply: each block's down- or
// upsampling strides and the tile sizes of the tiled encode and decode.
//
//   const HunyuanVAEConfig config = HunyuanVAEConfig::fromJson(parseJson(text));
//   at::Tensor z = latents / config.scalingFactor;           // what the pipeline decodes
//   std::int64_t tile = config.tileLatentMinSize();          // 32 latent pixels when released
//
// Thread-safety: a value type.
#pragma once

#include "core/infer/weights/json_value.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace storyreel::infer {
class InternalView;
}

namespace storyreel::infer::hunyuan {

struct HunyuanVAEConfig {
    using Triple = std::array<std::int64_t, 3>;  // (t, h, w)

    std::int64_t inChannels = 3;
    std::int64_t outChannels = 3;
    std::int64_t latentChannels = 16;
    std::vector<std::int64_t> blockOutChannels = {128, 256, 512, 512};
    // Residual blocks per encoder block; decoder blocks have one more.
    std::int64_t layersPerBlock = 2;
    std::int64_t normNumGroups = 32;
    bool midBlockAddAttention = true;
    // Tiling: tiles of sampleSize pixels (sampleSize / 2^(blocks-1) latent pixels) and of
    // sampleTsize frames (sampleTsize / timeCompressionRatio latent frames), overlapping by
    // tileOverlapFactor.
    std::int64_t sampleSize = 256;
    std::int64_t sampleTsize = 64;
    double scalingFactor = 0.476986;
    std::int64_t spatialCompressionRatio = 8;
    std::int64_t timeCompressionRatio = 4;
    double tileOverlapFactor = 0.25;  // fixed in the reference's constructor

    // The released 884-16c-hy VAE: block_out_channels [128, 256, 512, 512], 2 layers per
    // block, 32 groups, latent 16, sample_size 256, sample_tsize 64, scaling_factor 0.476986.
    static HunyuanVAEConfig released();
    // The keys of vae/config.json (in_channels, out_channels, latent_channels,
    // block_out_channels, layers_per_block, norm_num_groups, act_fn, mid_block_add_attention,
    // sample_size, sample_tsize, scaling_factor, spatial_compression_ratio,
    // time_compression_ratio, down_block_types, up_block_types); a missing key keeps the
    // released value, keys the model does not use (force_upcast, _class_name, ...) are
    // ignored. Throws UserError naming the key for a wrong type, a value out of range or a
    // variant the reference does not build (act_fn other than silu, another block type,
    // time_compression_ratio other than 4).
    static HunyuanVAEConfig fromJson(const JsonValue& config);
    // For a checkpoint without its config.json: channels, blocks, layers per block and the
    // mid-block attention from the tensor shapes (reference names), the rest released.
    // Throws UserError naming the file when the tensors are not a HunyuanVideo VAE's.
    static HunyuanVAEConfig fromWeights(const InternalView& view);

    std::size_t blockCount() const { return blockOutChannels.size(); }
    // The stride of encoder block `block`'s downsampler: (2, 2, 2), (1, 2, 2), or (1, 1, 1)
    // when the block has none. EncoderCausal3D's rule for time_compression_ratio 4.
    Triple downsampleStride(std::size_t block) const;
    // The scale factor of decoder block `block`'s upsampler, or (1, 1, 1) when it has none.
    Triple upsampleFactor(std::size_t block) const;
    // Pixels per latent pixel and frames per latent frame (after the first) that the blocks
    // actually give: 8 and 4 when released.
    std::int64_t spatialFactor() const;
    std::int64_t temporalFactor() const;

    // The reference's tile_sample_min_size, tile_latent_min_size, tile_sample_min_tsize and
    // tile_latent_min_tsize (256, 32, 64, 16 when released).
    std::int64_t tileSampleMinSize() const { return sampleSize; }
    std::int64_t tileLatentMinSize() const;
    std::int64_t tileSampleMinTsize() const { return sampleTsize; }
    std::int64_t tileLatentMinTsize() const { return sampleTsize / timeCompressionRatio; }

    // "block_out_channels [128, 256, 512, 512], 2 layers per block, 32 groups, latent 16":
    // for messages.
    std::string describe() const;
};

}  // namespace storyreel::infer::hunyuan
