// Tests of UUID parsing (the canonical 8-4-4-4-12 form only) and lower-case printing.
#include "core/uuid.h"

#include <string>

#include <gtest/gtest.h>

namespace dataplane::core {
namespace {

constexpr char kLower[] = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

TEST(UuidTest, LowerCaseParsesToTheExpectedBytesAndPrintsBack) {
  auto uuid = ParseUuid(kLower);
  ASSERT_TRUE(uuid.ok()) << uuid.error().message;
  const Uuid expected = {0x1b, 0x4e, 0x28, 0xba, 0x2f, 0xa1, 0x11, 0xd2,
                         0x88, 0x3f, 0x00, 0x16, 0xd3, 0xcc, 0xa4, 0x27};
  EXPECT_EQ(*uuid, expected);
  EXPECT_EQ(FormatUuid(*uuid), kLower);
  EXPECT_TRUE(IsUuid(kLower));
}

TEST(UuidTest, UpperAndMixedCaseAreAcceptedAndPrintedLowerCase) {
  for (const char* text :
       {"1B4E28BA-2FA1-11D2-883F-0016D3CCA427", "1b4E28bA-2Fa1-11D2-883f-0016d3CCa427"}) {
    auto uuid = ParseUuid(text);
    ASSERT_TRUE(uuid.ok()) << text << ": " << uuid.error().message;
    EXPECT_EQ(FormatUuid(*uuid), kLower) << text;
    EXPECT_TRUE(IsUuid(text)) << text;
  }
}

TEST(UuidTest, NilAndMaxUuids) {
  auto nil = ParseUuid("00000000-0000-0000-0000-000000000000");
  ASSERT_TRUE(nil.ok());
  EXPECT_EQ(*nil, Uuid{});
  EXPECT_EQ(FormatUuid(Uuid{}), "00000000-0000-0000-0000-000000000000");
  auto max = ParseUuid("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF");
  ASSERT_TRUE(max.ok());
  Uuid all_ones;
  all_ones.fill(0xff);
  EXPECT_EQ(*max, all_ones);
  EXPECT_EQ(FormatUuid(all_ones), "ffffffff-ffff-ffff-ffff-ffffffffffff");
}

TEST(UuidTest, FormatPlacesHyphensAfterBytes4_6_8_10) {
  Uuid uuid{};
  for (std::size_t i = 0; i < uuid.size(); ++i) uuid[i] = static_cast<std::uint8_t>(i * 17);
  EXPECT_EQ(FormatUuid(uuid), "00112233-4455-6677-8899-aabbccddeeff");
  auto back = ParseUuid(FormatUuid(uuid));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, uuid);
}

struct BadUuid {
  const char* name;
  std::string text;
};

class UuidRefusesTest : public testing::TestWithParam<BadUuid> {};

TEST_P(UuidRefusesTest, AsInvalidUuid) {
  auto uuid = ParseUuid(GetParam().text);
  ASSERT_FALSE(uuid.ok()) << "accepted '" << GetParam().text << "'";
  EXPECT_EQ(uuid.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(uuid.error().code, "invalid_uuid");
  EXPECT_FALSE(IsUuid(GetParam().text));
}

INSTANTIATE_TEST_SUITE_P(
    BadInputs, UuidRefusesTest,
    testing::Values(BadUuid{"Braces", "{1b4e28ba-2fa1-11d2-883f-0016d3cca427}"},
                    BadUuid{"UrnPrefix", "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"},
                    BadUuid{"NoHyphens", "1b4e28ba2fa111d2883f0016d3cca427"},
                    BadUuid{"NoHyphensPaddedTo36", "1b4e28ba2fa111d2883f0016d3cca4270000"},
                    BadUuid{"HyphenShiftedLeft", "1b4e28b-a2fa1-11d2-883f-0016d3cca427"},
                    BadUuid{"HyphenShiftedRight", "1b4e28ba2-fa1-11d2-883f-0016d3cca427"},
                    BadUuid{"LastHyphenMoved", "1b4e28ba-2fa1-11d2-883f0-016d3cca427"},
                    BadUuid{"HyphensSwappedForUnderscores", "1b4e28ba_2fa1_11d2_883f_0016d3cca427"},
                    BadUuid{"NonHexG", "1b4e28ba-2fa1-11d2-883f-0016d3cca42g"},
                    BadUuid{"NonHexFirst", "zb4e28ba-2fa1-11d2-883f-0016d3cca427"},
                    BadUuid{"SpaceInside", "1b4e28ba-2fa1-11d2-883f-0016d3cca 27"},
                    BadUuid{"NulInside", std::string("1b4e28ba-2fa1-11d2-883f-0016d3cca\0"
                                                     "27",
                                                     36)},
                    BadUuid{"TooShort", "1b4e28ba-2fa1-11d2-883f-0016d3cca42"},
                    BadUuid{"TooLong", "1b4e28ba-2fa1-11d2-883f-0016d3cca4277"},
                    BadUuid{"TrailingNewline", "1b4e28ba-2fa1-11d2-883f-0016d3cca427\n"},
                    BadUuid{"LeadingSpace", " 1b4e28ba-2fa1-11d2-883f-0016d3cca427"},
                    BadUuid{"AllHyphens", std::string(36, '-')}, BadUuid{"Empty", ""}),
    [](const testing::TestParamInfo<BadUuid>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace dataplane::core
