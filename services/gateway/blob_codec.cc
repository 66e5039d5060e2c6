#include "services/gateway/blob_codec.h"

#include <zstd.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace gongkai::gateway {
namespace {

// Blobs smaller than this are stored as they are: a frame's header would eat most of the gain.
constexpr size_t kMinCompressed = 256;
// zstd's first fast level: ~680 MB/s and 2.7× on a result here, against ~470 MB/s and 3.0× at level 1.
constexpr int kLevel = -1;

bool IsZstdFrame(absl::string_view blob) {
  // ZSTD_MAGICNUMBER 0xFD2FB528, little-endian.
  return blob.size() >= 4 && static_cast<unsigned char>(blob[0]) == 0x28 && static_cast<unsigned char>(blob[1]) == 0xB5 &&
         static_cast<unsigned char>(blob[2]) == 0x2F && static_cast<unsigned char>(blob[3]) == 0xFD;
}

struct CctxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DctxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

}  // namespace

std::string PackBlob(absl::string_view serialized) {
  if (serialized.size() < kMinCompressed) return std::string(serialized);
  // One context per thread: creating one costs more than compressing a result.
  thread_local std::unique_ptr<ZSTD_CCtx, CctxFree> context(ZSTD_createCCtx());
  std::string out;
  out.resize(ZSTD_compressBound(serialized.size()));
  size_t n = context ? ZSTD_compressCCtx(context.get(), out.data(), out.size(), serialized.data(), serialized.size(), kLevel)
                     : ZSTD_compress(out.data(), out.size(), serialized.data(), serialized.size(), kLevel);
  if (ZSTD_isError(n) || n >= serialized.size()) return std::string(serialized);
  out.resize(n);
  return out;
}

absl::StatusOr<std::string> UnpackBlob(absl::string_view blob, size_t max_bytes) {
  if (!IsZstdFrame(blob)) return std::string(blob);
  unsigned long long size = ZSTD_getFrameContentSize(blob.data(), blob.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return absl::DataLossError("a stored blob is not a whole zstd frame");
  }
  if (size > max_bytes) {
    return absl::DataLossError(absl::StrCat("a stored blob would decompress to ", size, " bytes (at most ", max_bytes, ")"));
  }
  thread_local std::unique_ptr<ZSTD_DCtx, DctxFree> context(ZSTD_createDCtx());
  std::string out;
  out.resize(static_cast<size_t>(size));
  size_t n = context ? ZSTD_decompressDCtx(context.get(), out.data(), out.size(), blob.data(), blob.size())
                     : ZSTD_decompress(out.data(), out.size(), blob.data(), blob.size());
  if (ZSTD_isError(n) || n != out.size()) {
    return absl::DataLossError(absl::StrCat("a stored blob does not decompress: ",
                                            ZSTD_isError(n) ? ZSTD_getErrorName(n) : "wrong size"));
  }
  return out;
}

}  // namespace gongkai::gateway
