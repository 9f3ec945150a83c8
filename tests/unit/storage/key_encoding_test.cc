#include "storage/key_encoding.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "storage/byte_io.h"
#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using model::AttributeType;
using model::AttributeValue;
using testing::B;
using testing::MakeTable;
using testing::N;
using testing::Num;
using testing::S;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    const auto b = static_cast<uint8_t>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::string Encode(const AttributeValue& value) {
  std::string out;
  AppendKeyValue(out, value);
  return out;
}

int Sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

int CompareBytes(std::string_view a, std::string_view b) { return Sign(a.compare(b)); }

// DynamoDB's order of two key values of the same type.
int CompareValues(const AttributeValue& a, const AttributeValue& b) {
  switch (a.type()) {
    case AttributeType::kN:
      return Sign(a.as_number().Compare(b.as_number()));
    case AttributeType::kS:
      return CompareBytes(a.as_string(), b.as_string());
    default:
      return CompareBytes(a.as_binary(), b.as_binary());
  }
}

// Random values drawn from small alphabets, so that shared prefixes, equal values and the
// escaped byte 0x00 all come up often.
class ValueGenerator {
 public:
  explicit ValueGenerator(uint32_t seed) : rng_(seed) {}

  model::Number Number() {
    for (;;) {
      if (Uniform(0, 15) == 0) return model::Number();
      const int digit_count = Uniform(0, 3) == 0 ? Uniform(1, 38) : Uniform(1, 4);
      std::string digits;
      for (int i = 0; i < digit_count; ++i) {
        digits.push_back(static_cast<char>('0' + Uniform(0, 9)));
      }
      digits.front() = static_cast<char>('1' + Uniform(0, 8));
      digits.back() = static_cast<char>('1' + Uniform(0, 8));
      const int exponent = Uniform(0, 3) == 0 ? Uniform(-129, 126) : Uniform(-3, 3);
      std::string text =
          (Uniform(0, 1) == 0 ? "-0." : "0.") + digits + "E" + std::to_string(exponent);
      auto parsed = model::Number::Parse(text);
      if (parsed.ok()) return std::move(parsed).value();
    }
  }

  std::string Bytes() {
    static constexpr char kAlphabet[] = {'\x00', '\x01', '\xff', 'a', 'b', '\xfe', '\x80'};
    const int length = Uniform(0, 6);
    std::string out;
    for (int i = 0; i < length; ++i) out.push_back(kAlphabet[Uniform(0, 6)]);
    return out;
  }

  AttributeValue Value(AttributeType type) {
    switch (type) {
      case AttributeType::kN:
        return AttributeValue::Num(Number());
      case AttributeType::kS:
        return S(Bytes());
      default:
        return B(Bytes());
    }
  }

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  std::mt19937 rng_;
};

TEST(KeyEncodingTest, NumberEncodingsMatchTheDocumentedBytes) {
  EXPECT_EQ(Hex(Encode(N("0"))), "02");
  EXPECT_EQ(Hex(Encode(N("1"))), "0380010b00");
  EXPECT_EQ(Hex(Encode(N("-1"))), "017ffef4ff");
  EXPECT_EQ(Hex(Encode(N("12.5"))), "0380020d3300");
  EXPECT_EQ(Hex(Encode(N("0.001"))), "037ffe0b00");
}

TEST(KeyEncodingTest, BytesAreEscapedAndTerminated) {
  EXPECT_EQ(Hex(Encode(S("abc"))), "6162630001");
  EXPECT_EQ(Hex(Encode(B(std::string("a\0b", 3)))), "6100ff620001");
  EXPECT_EQ(Hex(Encode(S(""))), "0001");
}

TEST(KeyEncodingTest, CanonicalNumbersEncodeIdentically) {
  EXPECT_EQ(Encode(N("1E3")), Encode(N("1000")));
  EXPECT_EQ(Encode(N("1000.00")), Encode(N("1000")));
  EXPECT_EQ(Encode(N("0.50")), Encode(N("5e-1")));
  EXPECT_EQ(Encode(N("-0")), Encode(N("0")));
  EXPECT_EQ(Encode(N("-12.30")), Encode(N("-1.23E1")));
}

TEST(KeyEncodingTest, ExtremeNumbersKeepTheirOrder) {
  const std::vector<std::string> ascending = {"-9.9999999999999999999999999999999999999E+125",
                                              "-1E+125",
                                              "-100",
                                              "-1.5",
                                              "-1",
                                              "-0.5",
                                              "-1E-130",
                                              "0",
                                              "1E-130",
                                              "0.5",
                                              "1",
                                              "1.5",
                                              "10",
                                              "100",
                                              "1E+125",
                                              "9.9999999999999999999999999999999999999E+125"};
  for (size_t i = 0; i + 1 < ascending.size(); ++i) {
    EXPECT_LT(Encode(N(ascending[i])), Encode(N(ascending[i + 1])))
        << ascending[i] << " vs " << ascending[i + 1];
  }
}

// Property: for each key type, the byte order of encodings is DynamoDB's order of the values.
TEST(KeyEncodingTest, ByteOrderEqualsDynamoDbOrder) {
  ValueGenerator gen(20240601);
  for (AttributeType type : {AttributeType::kN, AttributeType::kS, AttributeType::kB}) {
    for (int i = 0; i < 20000; ++i) {
      const AttributeValue a = gen.Value(type);
      const AttributeValue b = gen.Value(type);
      const std::string ea = Encode(a);
      const std::string eb = Encode(b);
      ASSERT_EQ(CompareBytes(ea, eb), CompareValues(a, b))
          << model::AttributeTypeName(type) << " " << Hex(ea) << " vs " << Hex(eb);
      // Prefix-free: a distinct value's encoding never starts with another's.
      if (ea != eb) {
        ASSERT_NE(eb.compare(0, ea.size(), ea), 0) << Hex(ea) << " prefixes " << Hex(eb);
      }
    }
  }
}

TEST(KeyEncodingTest, ValuesRoundTrip) {
  ValueGenerator gen(7);
  for (AttributeType type : {AttributeType::kN, AttributeType::kS, AttributeType::kB}) {
    for (int i = 0; i < 5000; ++i) {
      const AttributeValue value = gen.Value(type);
      const std::string encoded = Encode(value) + "tail";
      std::string_view input = encoded;
      auto decoded = DecodeKeyValue(input, type);
      ASSERT_TRUE(decoded.ok()) << Hex(encoded) << ": " << decoded.error().message;
      EXPECT_EQ(*decoded, value);
      EXPECT_EQ(input, "tail");
    }
  }
}

// Property: composite storage keys order by (hash, partition key), then by sort key in
// DynamoDB's order; one partition's keys never interleave with another's.
TEST(KeyEncodingTest, CompositeKeysNeverInterleavePartitions) {
  ValueGenerator gen(99);
  for (AttributeType pk_type : {AttributeType::kS, AttributeType::kN, AttributeType::kB}) {
    for (AttributeType sk_type : {AttributeType::kN, AttributeType::kS, AttributeType::kB}) {
      const model::TableMetadata table = MakeTable("t", pk_type, sk_type);
      for (int i = 0; i < 3000; ++i) {
        const AttributeValue pk1 = gen.Value(pk_type);
        const AttributeValue pk2 = gen.Uniform(0, 2) == 0 ? pk1 : gen.Value(pk_type);
        const AttributeValue sk1 = gen.Value(sk_type);
        const AttributeValue sk2 = gen.Value(sk_type);
        const std::string k1 = *EncodeStorageKey(table, {&pk1, &sk1});
        const std::string k2 = *EncodeStorageKey(table, {&pk2, &sk2});
        const std::string p1 = Encode(pk1);
        const std::string p2 = Encode(pk2);
        int expected = Sign(static_cast<int>(PartitionHash(p1) > PartitionHash(p2)) -
                            static_cast<int>(PartitionHash(p1) < PartitionHash(p2)));
        if (expected == 0) expected = CompareBytes(p1, p2);
        if (expected == 0) expected = CompareValues(sk1, sk2);
        ASSERT_EQ(CompareBytes(k1, k2), expected) << Hex(k1) << " vs " << Hex(k2);
      }
    }
  }
}

TEST(KeyEncodingTest, StorageKeyLayout) {
  model::TableMetadata table = MakeTable("t", AttributeType::kS, AttributeType::kN);
  table.internal_id = 1;
  const AttributeValue pk = S("abc");
  const AttributeValue sk = N("12.5");
  const std::string key = *EncodeStorageKey(table, {&pk, &sk});
  EXPECT_EQ(Hex(key.substr(0, 8)), "0000000000000001");
  EXPECT_EQ(LoadFixed32BigEndian(key.substr(8)), PartitionHash(Encode(pk)));
  EXPECT_EQ(Hex(key.substr(12)),
            "6162630001"
            "0380020d3300");
  // The worked example in docs/storage-format.md.
  EXPECT_EQ(Hex(key),
            "0000000000000001"
            "8b62ca44"
            "6162630001"
            "0380020d3300");
}

TEST(KeyEncodingTest, StorageKeysRoundTrip) {
  ValueGenerator gen(5);
  model::TableMetadata table = MakeTable("t", AttributeType::kB, AttributeType::kN);
  table.internal_id = 0x0102030405060708;
  for (int i = 0; i < 2000; ++i) {
    const AttributeValue pk = gen.Value(AttributeType::kB);
    const AttributeValue sk = gen.Value(AttributeType::kN);
    const std::string key = *EncodeStorageKey(table, {&pk, &sk});
    auto decoded = DecodeStorageKey(key, table.key_schema);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->internal_id, table.internal_id);
    EXPECT_EQ(decoded->hash, PartitionHash(Encode(pk)));
    EXPECT_EQ(decoded->partition, pk);
    ASSERT_TRUE(decoded->sort.has_value());
    EXPECT_EQ(*decoded->sort, sk);
  }
}

TEST(KeyEncodingTest, DecodeRejectsCorruptKeys) {
  const model::TableMetadata table = MakeTable("t", AttributeType::kS, AttributeType::kN);
  const AttributeValue pk = S("abc");
  const AttributeValue sk = N("-12.5");
  const std::string key = *EncodeStorageKey(table, {&pk, &sk});
  // Every strict prefix is invalid: the encodings are prefix-free.
  for (size_t size = 0; size < key.size(); ++size) {
    auto decoded = DecodeStorageKey(key.substr(0, size), table.key_schema);
    ASSERT_FALSE(decoded.ok()) << size;
    EXPECT_EQ(decoded.error().code, StorageError::Code::kCorruption);
  }
  EXPECT_FALSE(DecodeStorageKey(key + "x", table.key_schema).ok());
  std::string bad_hash = key;
  bad_hash[9] ^= 1;
  auto decoded = DecodeStorageKey(bad_hash, table.key_schema);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("hash"), std::string::npos);
  // Non-canonical numbers: a trailing zero digit, a zero first digit, a bad pair byte.
  for (std::string bytes :
       {std::string("\x03\x80\x01\x01\x00", 5), std::string("\x03\x80\x01\x0b\x01\x00", 6),
        std::string("\x03\x80\x01\xff\x00", 5), std::string("\x03\x80\x01", 3),
        std::string("\x04", 1)}) {
    std::string_view input = bytes;
    EXPECT_FALSE(DecodeKeyValue(input, AttributeType::kN).ok()) << Hex(bytes);
  }
  std::string_view bad_escape("a\x00\x02", 3);
  EXPECT_FALSE(DecodeKeyValue(bad_escape, AttributeType::kS).ok());
}

TEST(KeyEncodingTest, EncodeRejectsMissingOrMistypedKeys) {
  const model::TableMetadata table = MakeTable("t", AttributeType::kS, AttributeType::kN);
  const AttributeValue pk = S("a");
  const AttributeValue wrong = S("1");
  for (const model::PrimaryKey& key :
       {model::PrimaryKey{&pk, nullptr}, model::PrimaryKey{nullptr, &wrong},
        model::PrimaryKey{&pk, &wrong}}) {
    auto encoded = EncodeStorageKey(table, key);
    ASSERT_FALSE(encoded.ok());
    EXPECT_EQ(encoded.error().code, StorageError::Code::kInvalidArgument);
  }
  auto prefix = EncodePartitionPrefix(table, N("1"));
  ASSERT_FALSE(prefix.ok());
  EXPECT_EQ(prefix.error().code, StorageError::Code::kInvalidArgument);
  // The partition prefix is the storage key up to the sort key.
  const AttributeValue one = N("1");
  const std::string full = *EncodeStorageKey(table, {&pk, &one});
  EXPECT_EQ(*EncodePartitionPrefix(table, pk), full.substr(0, full.size() - Encode(one).size()));
  model::Item item = {{"pk", pk}, {"sk", N("1")}, {"other", S("x")}};
  const AttributeValue sk = N("1");
  EXPECT_EQ(*EncodeStorageKeyOfItem(table, item), *EncodeStorageKey(table, {&pk, &sk}));
}

// floor(h * n / 2^32) computed with 128-bit arithmetic, as the reference.
uint64_t SegmentOf(uint64_t hash, uint32_t total) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(hash) * total) >> 32);
}

void ExpectExactBoundaries(uint32_t total) {
  for (uint64_t s : {uint64_t{0}, uint64_t{1}, uint64_t{total / 2}, uint64_t{total - 1}}) {
    if (s >= total) continue;
    const HashRange range = SegmentHashRange(static_cast<uint32_t>(s), total);
    ASSERT_LT(range.begin, range.end) << s << "/" << total;
    EXPECT_EQ(SegmentOf(range.begin, total), s);
    EXPECT_EQ(SegmentOf(range.end - 1, total), s);
    if (range.begin > 0) {
      EXPECT_EQ(SegmentOf(range.begin - 1, total), s - 1);
    } else {
      EXPECT_EQ(s, 0u);
    }
    if (range.end < kHashSpace) {
      EXPECT_EQ(SegmentOf(range.end, total), s + 1);
    } else {
      EXPECT_EQ(s + 1, total);
    }
    if (s == 0) {
      EXPECT_EQ(range.begin, 0u);
    }
  }
}

TEST(KeyEncodingTest, SegmentRangesAreExactAndCoverTheHashSpace) {
  EXPECT_EQ(SegmentHashRange(0, 1), (HashRange{0, kHashSpace}));
  EXPECT_EQ(SegmentHashRange(1, 3), (HashRange{1431655766, 2863311531}));
  for (uint32_t total : {1u, 2u, 3u, 7u, 1000u, 999983u, 1000000u, 4294967295u}) {
    ExpectExactBoundaries(total);
  }
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    ExpectExactBoundaries(std::uniform_int_distribution<uint32_t>(1, 1000000)(rng));
  }
  // Contiguous and disjoint.
  uint64_t next = 0;
  for (uint32_t s = 0; s < 7; ++s) {
    const HashRange range = SegmentHashRange(s, 7);
    EXPECT_EQ(range.begin, next);
    next = range.end;
  }
  EXPECT_EQ(next, kHashSpace);
}

TEST(KeyEncodingTest, StorageKeyRangesBoundTheTable) {
  const StorageKeyRange all = StorageKeyRangeOf(5, HashRange{});
  EXPECT_EQ(Hex(all.begin), "000000000000000500000000");
  EXPECT_EQ(Hex(all.end), "0000000000000006");
  const StorageKeyRange part = StorageKeyRangeOf(5, SegmentHashRange(1, 3));
  EXPECT_EQ(Hex(part.begin), "000000000000000555555556");
  EXPECT_EQ(Hex(part.end), "0000000000000005aaaaaaab");
  EXPECT_EQ(Hex(TablePrefix(5)), "0000000000000005");
}

}  // namespace
}  // namespace dunlin::storage
