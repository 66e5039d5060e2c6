#include "services/gateway/blob_codec.h"

#include <lz4.h>

#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace gongkai::gateway {
namespace {

constexpr char kMarker[4] = {'\x04', 'L', 'Z', '4'};
constexpr size_t kHeader = sizeof(kMarker) + 4;
// Blobs smaller than this are stored as they are: there is little to gain.
constexpr size_t kMinCompressed = 256;

}  // namespace

std::string PackBlob(absl::string_view serialized) {
  if (serialized.size() < kMinCompressed || serialized.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
    return std::string(serialized);
  }
  // The compressed bytes go to a buffer the thread keeps: a std::string sized for the worst case would be
  // zero-filled first, on every blob. (LZ4's streaming API, which would also keep its 16 KB state between
  // blobs, was tried: its core loop is slower on blobs under 64 KB and the two costs cancelled.)
  thread_local std::string scratch;
  const int source_size = static_cast<int>(serialized.size());
  const size_t bound = static_cast<size_t>(LZ4_compressBound(source_size));
  if (scratch.size() < bound) scratch.resize(bound);
  int n = LZ4_compress_default(serialized.data(), scratch.data(), source_size, static_cast<int>(bound));
  if (n <= 0 || kHeader + static_cast<size_t>(n) >= serialized.size()) return std::string(serialized);
  std::string out;
  out.reserve(kHeader + static_cast<size_t>(n));
  out.append(kMarker, sizeof(kMarker));
  const uint32_t size = static_cast<uint32_t>(serialized.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((size >> (8 * i)) & 0xFF));
  out.append(scratch.data(), static_cast<size_t>(n));
  return out;
}

absl::StatusOr<std::string> UnpackBlob(absl::string_view blob, size_t max_bytes) {
  if (blob.size() < sizeof(kMarker) || std::memcmp(blob.data(), kMarker, sizeof(kMarker)) != 0) {
    return std::string(blob);
  }
  if (blob.size() < kHeader) return absl::DataLossError("a stored blob is cut short in its header");
  uint32_t size = 0;
  for (int i = 0; i < 4; ++i) size |= static_cast<uint32_t>(static_cast<unsigned char>(blob[sizeof(kMarker) + i])) << (8 * i);
  if (size > max_bytes || size > static_cast<uint32_t>(LZ4_MAX_INPUT_SIZE)) {
    return absl::DataLossError(absl::StrCat("a stored blob would decompress to ", size, " bytes (at most ", max_bytes, ")"));
  }
  std::string out;
  out.resize(size);
  int n = LZ4_decompress_safe(blob.data() + kHeader, out.data(), static_cast<int>(blob.size() - kHeader),
                              static_cast<int>(size));
  if (n < 0 || static_cast<uint32_t>(n) != size) {
    return absl::DataLossError(absl::StrCat("a stored blob does not decompress (", n < 0 ? "damaged" : "wrong size", ")"));
  }
  return out;
}

}  // namespace gongkai::gateway
