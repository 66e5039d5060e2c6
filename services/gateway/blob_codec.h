// How the job store keeps documents and results on disk: compressed with zstd (its fast level -1) when that makes
// them smaller. A result is ~12 KB of protobuf of which half is the same 200 cell keys, and compresses ~2.7×,
// so a nationwide job's store is ~40 % of the size and SQLite writes that much fewer pages.
//
// A stored blob is either a zstd frame (it starts with zstd's magic number) or the serialised message as
// it is: a serialised gongkai message never starts with those bytes (0x28 would be field 5 as a varint,
// which no stored message has), so stores written before compression stay readable.
#ifndef GONGKAI_SERVICES_GATEWAY_BLOB_CODEC_H_
#define GONGKAI_SERVICES_GATEWAY_BLOB_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::gateway {

// The blob to store for `serialized`: its zstd frame when that is smaller, else `serialized` itself.
std::string PackBlob(absl::string_view serialized);

// The serialised message held by a stored blob. DataLoss when a zstd frame is damaged or would
// decompress to more than `max_bytes`.
absl::StatusOr<std::string> UnpackBlob(absl::string_view blob, size_t max_bytes = size_t{1} << 30);

}  // namespace gongkai::gateway

#endif  // GONGKAI_SERVICES_GATEWAY_BLOB_CODEC_H_
