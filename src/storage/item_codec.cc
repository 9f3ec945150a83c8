#include "storage/item_codec.h"

#include <algorithm>
#include <utility>

#include "storage/byte_io.h"
#include "storage/number_parts.h"

namespace dunlin::storage {
namespace {

// Type bytes; fixed by the storage format, independent of model::AttributeType's order.
enum TypeByte : uint8_t {
  kTypeS = 0x01,
  kTypeN = 0x02,
  kTypeB = 0x03,
  kTypeFalse = 0x04,
  kTypeTrue = 0x05,
  kTypeNull = 0x06,
  kTypeM = 0x07,
  kTypeL = 0x08,
  kTypeSS = 0x09,
  kTypeNS = 0x0A,
  kTypeBS = 0x0B,
};

StorageError Corrupt(std::string message) {
  return StorageError{StorageError::Code::kCorruption, "corrupt item: " + message};
}

// N payload: varint(digit_count << 1 | negative), 0 for zero; then, unless zero, the zigzag
// varint exponent and ceil(digit_count / 2) digit-pair bytes (10 * d1 + d2).
void AppendNumberPayload(std::string& out, const model::Number& number) {
  if (number.is_zero()) {
    out.push_back(0);
    return;
  }
  AppendVarint64(out, (uint64_t{number.digits().size()} << 1) | (number.is_negative() ? 1 : 0));
  AppendSignedVarint64(out, number.exponent());
  AppendDigitPairs(out, number.digits(), 0);
}

StorageResult<model::Number> ReadNumberPayload(ByteReader& reader) {
  uint64_t header = 0;
  if (!reader.ReadVarint64(header)) return Fail(Corrupt("truncated number"));
  if (header == 0) return model::Number();
  const bool negative = (header & 1) != 0;
  const uint64_t digit_count = header >> 1;
  if (digit_count == 0 || digit_count > static_cast<uint64_t>(model::kMaxNumberSignificantDigits)) {
    return Fail(Corrupt("bad number digit count"));
  }
  int64_t exponent = 0;
  std::string_view pairs;
  if (!reader.ReadSignedVarint64(exponent) || !reader.ReadBytes((digit_count + 1) / 2, pairs)) {
    return Fail(Corrupt("truncated number"));
  }
  std::string digits;
  digits.reserve(pairs.size() * 2);
  for (char byte : pairs) {
    if (!AppendDigitsOfPair(digits, static_cast<uint8_t>(byte), 0)) {
      return Fail(Corrupt("bad digit pair"));
    }
  }
  if (digits.size() != digit_count) {
    if (digits.back() != '0') return Fail(Corrupt("bad number padding"));
    digits.pop_back();
  }
  std::optional<model::Number> number = NumberFromParts(negative, digits, exponent);
  if (!number) return Fail(Corrupt("non-canonical number"));
  return std::move(*number);
}

// Sets are stored sorted and duplicate-free (the model's invariant). A set that arrives
// otherwise is normalized here rather than stored in a form the decoder rejects.
template <typename T, typename Less>
const std::vector<T>& SortedUnique(const std::vector<T>& values, std::vector<T>& scratch,
                                   Less less) {
  bool sorted = true;
  for (size_t i = 1; i < values.size() && sorted; ++i) sorted = less(values[i - 1], values[i]);
  if (sorted) return values;
  scratch = values;
  std::sort(scratch.begin(), scratch.end(), less);
  auto equal = [&less](const T& a, const T& b) { return !less(a, b) && !less(b, a); };
  scratch.erase(std::unique(scratch.begin(), scratch.end(), equal), scratch.end());
  return scratch;
}

void AppendStringSet(std::string& out, const std::vector<std::string>& values) {
  std::vector<std::string> scratch;
  const auto& sorted = SortedUnique(values, scratch, std::less<std::string>());
  AppendVarint64(out, sorted.size());
  for (const std::string& v : sorted) AppendLengthPrefixed(out, v);
}

void AppendAttributes(std::string& out, const model::AttributeMap& map) {
  AppendVarint64(out, map.size());
  for (const auto& [name, value] : map) {
    AppendLengthPrefixed(out, name);
    AppendAttributeValue(out, value);
  }
}

StorageResult<model::AttributeValue> ReadValue(ByteReader& reader, int depth);

// Reads a count and checks it against the bytes left: every element takes at least
// `min_element_bytes`, so a corrupt count cannot trigger a huge allocation.
StorageResult<uint64_t> ReadCount(ByteReader& reader, size_t min_element_bytes) {
  uint64_t count = 0;
  if (!reader.ReadVarint64(count)) return Fail(Corrupt("truncated count"));
  if (count > reader.remaining() / min_element_bytes) return Fail(Corrupt("count too large"));
  return count;
}

StorageResult<model::AttributeMap> ReadAttributes(ByteReader& reader, int depth) {
  DUNLIN_ASSIGN_OR_RETURN(uint64_t count, ReadCount(reader, 2));
  model::AttributeMap map;
  std::string_view previous;
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view name;
    if (!reader.ReadLengthPrefixed(name)) return Fail(Corrupt("truncated attribute name"));
    if (i > 0 && !(previous < name)) return Fail(Corrupt("attribute names out of order"));
    previous = name;
    DUNLIN_ASSIGN_OR_RETURN(model::AttributeValue value, ReadValue(reader, depth));
    map.emplace_hint(map.end(), std::string(name), std::move(value));
  }
  return map;
}

StorageResult<std::vector<std::string>> ReadStringSet(ByteReader& reader) {
  DUNLIN_ASSIGN_OR_RETURN(uint64_t count, ReadCount(reader, 1));
  if (count == 0) return Fail(Corrupt("empty set"));
  std::vector<std::string> values;
  values.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view v;
    if (!reader.ReadLengthPrefixed(v)) return Fail(Corrupt("truncated set element"));
    if (i > 0 && !(std::string_view(values.back()) < v)) {
      return Fail(Corrupt("set elements out of order"));
    }
    values.emplace_back(v);
  }
  return values;
}

StorageResult<model::AttributeValue> ReadValue(ByteReader& reader, int depth) {
  uint8_t type = 0;
  if (!reader.ReadByte(type)) return Fail(Corrupt("truncated value"));
  switch (type) {
    case kTypeS: {
      std::string_view s;
      if (!reader.ReadLengthPrefixed(s)) return Fail(Corrupt("truncated string"));
      return model::AttributeValue::String(std::string(s));
    }
    case kTypeN: {
      DUNLIN_ASSIGN_OR_RETURN(model::Number n, ReadNumberPayload(reader));
      return model::AttributeValue::Num(std::move(n));
    }
    case kTypeB: {
      std::string_view b;
      if (!reader.ReadLengthPrefixed(b)) return Fail(Corrupt("truncated binary"));
      return model::AttributeValue::Bytes(std::string(b));
    }
    case kTypeFalse:
      return model::AttributeValue(model::AttributeValue::Variant(false));
    case kTypeTrue:
      return model::AttributeValue(model::AttributeValue::Variant(true));
    case kTypeNull:
      return model::AttributeValue(model::AttributeValue::Variant(model::Null{}));
    case kTypeM: {
      if (depth >= kMaxDecodeDepth) return Fail(Corrupt("nesting too deep"));
      DUNLIN_ASSIGN_OR_RETURN(model::AttributeMap map, ReadAttributes(reader, depth + 1));
      return model::AttributeValue(model::AttributeValue::Variant(std::move(map)));
    }
    case kTypeL: {
      if (depth >= kMaxDecodeDepth) return Fail(Corrupt("nesting too deep"));
      DUNLIN_ASSIGN_OR_RETURN(uint64_t count, ReadCount(reader, 1));
      model::AttributeList list;
      list.reserve(count);
      for (uint64_t i = 0; i < count; ++i) {
        DUNLIN_ASSIGN_OR_RETURN(model::AttributeValue element, ReadValue(reader, depth + 1));
        list.push_back(std::move(element));
      }
      return model::AttributeValue(model::AttributeValue::Variant(std::move(list)));
    }
    case kTypeSS: {
      DUNLIN_ASSIGN_OR_RETURN(std::vector<std::string> values, ReadStringSet(reader));
      return model::AttributeValue(
          model::AttributeValue::Variant(model::StringSet{std::move(values)}));
    }
    case kTypeBS: {
      DUNLIN_ASSIGN_OR_RETURN(std::vector<std::string> values, ReadStringSet(reader));
      return model::AttributeValue(
          model::AttributeValue::Variant(model::BinarySet{std::move(values)}));
    }
    case kTypeNS: {
      DUNLIN_ASSIGN_OR_RETURN(uint64_t count, ReadCount(reader, 1));
      if (count == 0) return Fail(Corrupt("empty set"));
      model::NumberSet set;
      set.values.reserve(count);
      for (uint64_t i = 0; i < count; ++i) {
        DUNLIN_ASSIGN_OR_RETURN(model::Number n, ReadNumberPayload(reader));
        if (i > 0 && set.values.back().Compare(n) >= 0) {
          return Fail(Corrupt("set elements out of order"));
        }
        set.values.push_back(std::move(n));
      }
      return model::AttributeValue(model::AttributeValue::Variant(std::move(set)));
    }
    default:
      return Fail(Corrupt("unknown type byte " + std::to_string(type)));
  }
}

}  // namespace

void AppendAttributeValue(std::string& out, const model::AttributeValue& value) {
  switch (value.type()) {
    case model::AttributeType::kS:
      out.push_back(static_cast<char>(kTypeS));
      AppendLengthPrefixed(out, value.as_string());
      return;
    case model::AttributeType::kN:
      out.push_back(static_cast<char>(kTypeN));
      AppendNumberPayload(out, value.as_number());
      return;
    case model::AttributeType::kB:
      out.push_back(static_cast<char>(kTypeB));
      AppendLengthPrefixed(out, value.as_binary());
      return;
    case model::AttributeType::kBool:
      out.push_back(static_cast<char>(value.as_bool() ? kTypeTrue : kTypeFalse));
      return;
    case model::AttributeType::kNull:
      out.push_back(static_cast<char>(kTypeNull));
      return;
    case model::AttributeType::kM:
      out.push_back(static_cast<char>(kTypeM));
      AppendAttributes(out, value.as_map());
      return;
    case model::AttributeType::kL: {
      out.push_back(static_cast<char>(kTypeL));
      const model::AttributeList& list = value.as_list();
      AppendVarint64(out, list.size());
      for (const model::AttributeValue& element : list) AppendAttributeValue(out, element);
      return;
    }
    case model::AttributeType::kSS:
      out.push_back(static_cast<char>(kTypeSS));
      AppendStringSet(out, std::get<model::StringSet>(value.variant()).values);
      return;
    case model::AttributeType::kBS:
      out.push_back(static_cast<char>(kTypeBS));
      AppendStringSet(out, std::get<model::BinarySet>(value.variant()).values);
      return;
    case model::AttributeType::kNS: {
      out.push_back(static_cast<char>(kTypeNS));
      std::vector<model::Number> scratch;
      const auto& sorted = SortedUnique(std::get<model::NumberSet>(value.variant()).values, scratch,
                                        std::less<model::Number>());
      AppendVarint64(out, sorted.size());
      for (const model::Number& n : sorted) AppendNumberPayload(out, n);
      return;
    }
  }
}

StorageResult<model::AttributeValue> DecodeAttributeValue(std::string_view& input) {
  ByteReader reader(input);
  DUNLIN_ASSIGN_OR_RETURN(model::AttributeValue value, ReadValue(reader, 0));
  input = reader.rest();
  return value;
}

void EncodeItem(const model::Item& item, std::string& out) {
  out.push_back(static_cast<char>(kItemFormatVersion));
  AppendAttributes(out, item);
}

std::string EncodeItem(const model::Item& item) {
  std::string out;
  EncodeItem(item, out);
  return out;
}

StorageResult<model::Item> DecodeItem(std::string_view bytes) {
  ByteReader reader(bytes);
  uint8_t version = 0;
  if (!reader.ReadByte(version)) return Fail(Corrupt("empty"));
  if (version != kItemFormatVersion) {
    return Fail(Corrupt("unknown item format version " + std::to_string(version)));
  }
  DUNLIN_ASSIGN_OR_RETURN(model::Item item, ReadAttributes(reader, 0));
  if (!reader.empty()) return Fail(Corrupt("trailing bytes"));
  return item;
}

}  // namespace dunlin::storage
