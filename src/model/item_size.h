// Item sizes as DynamoDB computes them, for the 400 KB item limit, the 1 MB page limit and
// capacity units.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
//   1. S: UTF-8 bytes. B: raw bytes (not the base64 text).
//   2. N: see Number::SizeBytes(). The guide's approximation is ceil(significant digits / 2) + 1;
//      DynamoDB Local counts base-100 digit pairs aligned on the decimal point, plus 1, plus 1
//      more for negatives (1.5 is 3 bytes, -1 is 3 bytes, 0 is 1 byte), and so do we.
//   3. BOOL and NULL: 1 byte.
//   4. M and L: 3 bytes of overhead plus, per element, its size and 1 byte (map keys count as
//      attribute names: their UTF-8 bytes).
//   5. SS/NS/BS: the sum of the element sizes, no overhead.
//   6. An attribute counts its name's UTF-8 bytes plus its value's size; the item is the sum.
// Rules 1, 3, 4 and 6 are the guide's; the guide is silent on sets (rule 5). All six were
// confirmed by probing DynamoDB Local's 409,600-byte item limit.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>

#include "model/attribute_value.h"

namespace dunlin::model {

inline constexpr size_t kMaxItemSizeBytes = 400 * 1024;

// Size of a value without any attribute name.
size_t AttributeValueSize(const AttributeValue& value);
// Size of a whole item: names plus values. An item is too large when this exceeds
// kMaxItemSizeBytes.
size_t ItemSize(const Item& item);

}  // namespace dunlin::model
