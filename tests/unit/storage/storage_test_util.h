// Helpers shared by the storage unit tests: value builders, tables, temporary directories, and
// waiting for background work.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "model/attribute_value.h"
#include "model/number.h"
#include "model/table.h"
#include "storage/engine.h"

namespace dunlin::storage::testing {

// A fresh in-memory engine without synced writes; fails the test when it cannot open.
inline std::unique_ptr<Engine> OpenInMemory() {
  EngineOptions options;
  options.in_memory = true;
  options.sync_writes = false;
  auto engine = OpenRocksDbEngine(options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return std::move(engine).value();
}

// Polls `done` every 5 ms for up to 5 s (a background thread's work); its last answer.
template <typename Condition>
bool WaitUntil(Condition done) {
  for (int i = 0; i < 1000 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

inline model::Number Num(std::string_view text) {
  auto parsed = model::Number::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? std::move(parsed).value() : model::Number();
}

inline model::AttributeValue N(std::string_view text) {
  return model::AttributeValue::Num(Num(text));
}
inline model::AttributeValue S(std::string text) {
  return model::AttributeValue::String(std::move(text));
}
inline model::AttributeValue B(std::string bytes) {
  return model::AttributeValue::Bytes(std::move(bytes));
}

inline model::TableMetadata MakeTable(std::string name, model::AttributeType partition_type,
                                      std::optional<model::AttributeType> sort_type = {}) {
  model::TableMetadata table;
  table.name = std::move(name);
  table.internal_id = 1;
  table.key_schema.partition = {"pk", partition_type};
  table.attribute_definitions.push_back(table.key_schema.partition);
  if (sort_type) {
    table.key_schema.sort = model::KeyElement{"sk", *sort_type};
    table.attribute_definitions.push_back(*table.key_schema.sort);
  }
  return table;
}

// The primary key of `item` for a table whose key attributes are "pk" and (optionally) "sk".
inline model::PrimaryKey KeyOfItem(const model::Item& item, const model::TableMetadata& table) {
  model::PrimaryKey key;
  key.partition = &item.at(table.key_schema.partition.name);
  if (table.key_schema.sort) key.sort = &item.at(table.key_schema.sort->name);
  return key;
}

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "dunlin-storage-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
    EXPECT_FALSE(path_.empty());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace dunlin::storage::testing
