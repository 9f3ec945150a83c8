#include "common/java_hash.h"

namespace dunlin {

uint32_t JavaStringHash(std::string_view utf8) {
  uint32_t hash = 0;
  auto add = [&hash](uint32_t unit) { hash = 31 * hash + unit; };
  for (size_t i = 0; i < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    const size_t length = byte < 0x80             ? 1
                          : (byte >> 5) == 0x6    ? 2
                          : (byte >> 4) == 0xE    ? 3
                          : (byte >> 3) == 0x1E   ? 4
                                                  : 0;
    if (length <= 1 || i + length > utf8.size()) {
      add(byte);
      ++i;
      continue;
    }
    uint32_t point = byte & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      point = (point << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    if (point >= 0x10000) {
      point -= 0x10000;
      add(0xD800 + (point >> 10));
      add(0xDC00 + (point & 0x3FF));
    } else {
      add(point);
    }
    i += length;
  }
  return hash;
}

size_t JavaHashBucket(std::string_view key, size_t capacity) {
  const uint32_t hash = JavaStringHash(key);
  return (hash ^ (hash >> 16)) & (capacity - 1);
}

size_t JavaDefaultCapacity(size_t entries) {
  size_t capacity = 16;
  while (entries * 4 > capacity * 3) capacity *= 2;
  return capacity;
}

size_t JavaPresizedCapacity(size_t entries) {
  const size_t wanted = (entries * 4 + 2) / 3;  // ceil(entries / 0.75)
  size_t capacity = 1;
  while (capacity < wanted) capacity *= 2;
  return capacity;
}

}  // namespace dunlin
