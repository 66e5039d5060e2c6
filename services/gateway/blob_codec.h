// How the job store keeps documents and results on disk: LZ4-compressed when that makes them smaller. A
// result is ~12 KB of protobuf of which half is the same 200 cell keys, and compresses ~2.4×, so a
// nationwide job's store is well under half the size and SQLite writes that many fewer pages, for ~7 % of
// the batch path's instructions (zstd's fast level compresses a little better for four times the cost).
//
// A compressed blob is the marker "\x04LZ4", the original size (4 bytes, little-endian) and one LZ4 block.
// A serialised gongkai message never starts with 0x04 (field number 0 is not a field), so a blob without
// the marker is the serialised message as it is: stores written before compression stay readable.
#ifndef GONGKAI_SERVICES_GATEWAY_BLOB_CODEC_H_
#define GONGKAI_SERVICES_GATEWAY_BLOB_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::gateway {

// The blob to store for `serialized`: compressed when that is smaller, else `serialized` itself.
std::string PackBlob(absl::string_view serialized);

// The serialised message held by a stored blob. DataLoss when a compressed blob is damaged or would
// decompress to more than `max_bytes`.
absl::StatusOr<std::string> UnpackBlob(absl::string_view blob, size_t max_bytes = size_t{1} << 30);

}  // namespace gongkai::gateway

#endif  // GONGKAI_SERVICES_GATEWAY_BLOB_CODEC_H_
