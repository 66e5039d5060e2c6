// The job store's blob codec: what goes in comes out, compressed only when that is smaller, plain blobs
// of earlier stores read as they are, and a damaged frame is an error rather than a wrong message.
#include "services/gateway/blob_codec.h"

#include <random>
#include <thread>
#include <vector>

#include "common/schema.h"
#include "gtest/gtest.h"

namespace gongkai::gateway {
namespace {

std::string TemplateReport() {
  v1::AnnualReport report;
  InitTables(v1::TEMPLATE_VERSION_V2021, &report);  // 200 cells, keys and all
  return report.SerializeAsString();
}

TEST(BlobCodec, RoundTripsEverySize) {
  std::mt19937 rng(3);
  std::string report = TemplateReport();
  for (size_t size : {size_t{0}, size_t{1}, size_t{255}, size_t{256}, size_t{4000}, report.size()}) {
    std::string in = size == report.size() ? report : std::string(size, 'a');
    if (size == 4000) {
      for (char& c : in) c = static_cast<char>(rng());  // incompressible
    }
    std::string blob = PackBlob(in);
    EXPECT_LE(blob.size(), in.size()) << size;
    absl::StatusOr<std::string> out = UnpackBlob(blob);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(*out, in) << size;
  }
}

// A thread keeps its output buffer between blobs: each blob must come out whole and on its own, whatever
// the thread packed before it (longer or shorter, with the same keys).
TEST(BlobCodec, ConsecutiveBlobsOfOneThreadAreIndependent) {
  std::string report = TemplateReport();
  std::vector<std::string> ins, blobs;
  for (int i = 0; i < 20; ++i) {
    ins.push_back(i % 2 ? report : report.substr(static_cast<size_t>(i) * 7));
    blobs.push_back(PackBlob(ins.back()));
  }
  for (size_t i = blobs.size(); i-- > 0;) {  // read back in the other order
    absl::StatusOr<std::string> out = UnpackBlob(blobs[i]);
    ASSERT_TRUE(out.ok()) << i << ": " << out.status();
    EXPECT_EQ(*out, ins[i]) << i;
  }
  std::string other_thread;
  std::thread([&] { other_thread = PackBlob(ins[5]); }).join();
  EXPECT_EQ(other_thread, blobs[5]) << "a blob does not depend on what its thread packed before";
}

TEST(BlobCodec, AReportShrinksAndIncompressibleBytesStayAsTheyAre) {
  std::string report = TemplateReport();
  EXPECT_LT(PackBlob(report).size() * 3, report.size());  // the repeated keys compress well
  std::string noise(4000, 0);
  std::mt19937 rng(5);
  for (char& c : noise) c = static_cast<char>(rng());
  EXPECT_EQ(PackBlob(noise), noise);  // stored plain: no frame to pay for
}

TEST(BlobCodec, PlainSerialisedMessagesOfEarlierStoresReadAsTheyAre) {
  std::string report = TemplateReport();
  absl::StatusOr<std::string> out = UnpackBlob(report);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, report);
}

TEST(BlobCodec, DamagedOrOversizedFramesAreDataLoss) {
  std::string blob = PackBlob(TemplateReport());
  ASSERT_GT(blob.size(), 16u);
  std::string cut = blob.substr(0, blob.size() / 2);
  EXPECT_EQ(UnpackBlob(cut).status().code(), absl::StatusCode::kDataLoss);
  std::string flipped = blob;
  for (size_t i = 12; i < flipped.size(); i += 7) flipped[i] = static_cast<char>(~flipped[i]);
  EXPECT_FALSE(UnpackBlob(flipped).ok());
  absl::StatusOr<std::string> capped = UnpackBlob(blob, 100);
  EXPECT_EQ(capped.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(capped.status().message().find("at most 100"), std::string::npos) << capped.status();
}

}  // namespace
}  // namespace gongkai::gateway
