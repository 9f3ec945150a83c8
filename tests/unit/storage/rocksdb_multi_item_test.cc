// MutateItemsAsync and ReadItemsTogether: all-or-nothing writes across tables, holds while a
// multi-item write is queued, snapshots, and concurrent transfers that keep a sum constant.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <random>
#include <thread>
#include <vector>

#include "model/item_size.h"
#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using model::AttributeType;
using model::Item;
using testing::KeyOfItem;
using testing::MakeTable;
using testing::N;
using testing::Num;
using testing::OpenInMemory;
using testing::S;

struct Fixture {
  std::unique_ptr<Engine> engine = OpenInMemory();
  model::TableMetadata a = *engine->CreateTable(MakeTable("a", AttributeType::kS));
  model::TableMetadata b =
      *engine->CreateTable(MakeTable("b", AttributeType::kS, AttributeType::kN));
};

TEST(RocksDbMultiItemTest, WritesEveryItemAcrossTablesWithTheirStats) {
  Fixture f;
  const Item old_a = {{"pk", S("x")}, {"v", N("1")}};
  ASSERT_TRUE(f.engine->MutateItem(f.a, KeyOfItem(old_a, f.a),
                                   [&](const auto&) { return Mutation::Put(old_a); })
                  .ok());
  const Item new_a = {{"pk", S("x")}, {"v", N("2")}};
  const Item new_b = {{"pk", S("y")}, {"sk", N("5")}, {"w", S("hello")}};
  const Item gone = {{"pk", S("z")}};
  std::vector<ItemRef> refs = {{&f.a, KeyOfItem(new_a, f.a)},
                               {&f.b, KeyOfItem(new_b, f.b)},
                               {&f.a, KeyOfItem(gone, f.a)}};
  auto result = f.engine->MutateItems(refs, [&](const std::vector<ItemState>& states) {
    EXPECT_EQ(states.size(), 3u);
    EXPECT_EQ(states[0].item, old_a);
    EXPECT_FALSE(states[1].item.has_value());
    EXPECT_FALSE(states[0].held);
    return StorageResult<std::vector<Mutation>>(std::vector<Mutation>{
        Mutation::Put(new_a), Mutation::Put(new_b), Mutation::Delete()});
  });
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->size(), 3u);
  EXPECT_EQ((*result)[0], old_a);
  EXPECT_FALSE((*result)[1].has_value());

  EXPECT_EQ(*f.engine->GetItem(f.a, KeyOfItem(new_a, f.a)), new_a);
  EXPECT_EQ(*f.engine->GetItem(f.b, KeyOfItem(new_b, f.b)), new_b);
  auto stats_a = f.engine->GetTableStats(f.a);
  auto stats_b = f.engine->GetTableStats(f.b);
  EXPECT_EQ(stats_a->item_count, 1);
  EXPECT_EQ(stats_a->size_bytes, static_cast<int64_t>(model::ItemSize(new_a)));
  EXPECT_EQ(stats_b->item_count, 1);
  EXPECT_EQ(stats_b->size_bytes, static_cast<int64_t>(model::ItemSize(new_b)));
}

TEST(RocksDbMultiItemTest, AMutatorErrorWritesNothing) {
  Fixture f;
  const Item first = {{"pk", S("1")}};
  const Item second = {{"pk", S("2")}};
  std::vector<ItemRef> refs = {{&f.a, KeyOfItem(first, f.a)}, {&f.a, KeyOfItem(second, f.a)}};
  auto result = f.engine->MutateItems(refs, [](const std::vector<ItemState>&) {
    return StorageResult<std::vector<Mutation>>(
        Fail(StorageError{StorageError::Code::kAborted, "no"}));
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, StorageError::Code::kAborted);
  EXPECT_FALSE(f.engine->GetItem(f.a, KeyOfItem(first, f.a))->has_value());
  EXPECT_EQ(f.engine->GetTableStats(f.a)->item_count, 0);
}

TEST(RocksDbMultiItemTest, RejectsOneItemTwiceAndAMissingDecision) {
  Fixture f;
  const Item item = {{"pk", S("1")}};
  std::vector<ItemRef> twice = {{&f.a, KeyOfItem(item, f.a)}, {&f.a, KeyOfItem(item, f.a)}};
  bool called = false;
  auto result = f.engine->MutateItems(twice, [&](const std::vector<ItemState>&) {
    called = true;
    return StorageResult<std::vector<Mutation>>(std::vector<Mutation>(2));
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, StorageError::Code::kInvalidArgument);
  EXPECT_FALSE(called);

  std::vector<ItemRef> one = {{&f.a, KeyOfItem(item, f.a)}};
  result = f.engine->MutateItems(one, [](const std::vector<ItemState>&) {
    return StorageResult<std::vector<Mutation>>(std::vector<Mutation>{});
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, StorageError::Code::kInvalidArgument);
}

TEST(RocksDbMultiItemTest, OnlyReadsAnswerAtOnce) {
  Fixture f;
  const Item item = {{"pk", S("1")}, {"v", N("3")}};
  ASSERT_TRUE(
      f.engine->MutateItem(f.a, KeyOfItem(item, f.a), [&](const auto&) { return Mutation::Put(item); })
          .ok());
  std::vector<ItemRef> refs = {{&f.a, KeyOfItem(item, f.a)}};
  bool answered = false;
  f.engine->MutateItemsAsync(
      refs,
      [](const std::vector<ItemState>&) {
        return StorageResult<std::vector<Mutation>>(std::vector<Mutation>{Mutation::None()});
      },
      [&](StorageResult<std::vector<std::optional<model::Item>>> result) {
        ASSERT_TRUE(result.ok());
        EXPECT_EQ((*result)[0], item);
        answered = true;
      });
  EXPECT_TRUE(answered);  // before MutateItemsAsync returned
}

// While a multi-item write is queued and not yet applied, its items are held: a single-item
// write fails with kTransactionConflict, another multi-item write and ReadItemsTogether see
// the hold, and once it is applied everything sees the new values.
TEST(RocksDbMultiItemTest, ItemsAreHeldUntilTheWriteIsApplied) {
  Fixture f;
  const Item x = {{"pk", S("x")}, {"v", N("1")}};
  const Item y = {{"pk", S("y")}, {"v", N("1")}};
  const Item checked = {{"pk", S("checked")}};
  const Item other = {{"pk", S("other")}};

  // Park the commit thread inside the completion of a first write, so the next group gathers
  // but is not written until the test lets it go.
  std::promise<void> parked;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  f.engine->MutateItemAsync(
      f.a, KeyOfItem(other, f.a), [&](const auto&) { return Mutation::Put(other); },
      [&parked, released](auto) {
        parked.set_value();
        released.wait();
      });
  parked.get_future().wait();

  std::promise<StorageResult<std::vector<std::optional<model::Item>>>> outcome;
  std::vector<ItemRef> refs = {{&f.a, KeyOfItem(x, f.a)},
                               {&f.a, KeyOfItem(y, f.a)},
                               {&f.a, KeyOfItem(checked, f.a)}};
  f.engine->MutateItemsAsync(
      refs,
      [&](const std::vector<ItemState>&) {
        return StorageResult<std::vector<Mutation>>(
            std::vector<Mutation>{Mutation::Put(x), Mutation::Put(y), Mutation::None()});
      },
      [&outcome](auto result) { outcome.set_value(std::move(result)); });

  // A single-item write of a held item, including one only checked, fails without deciding.
  for (const Item* held : {&x, &checked}) {
    bool decided = false;
    std::optional<StorageError::Code> error_code;
    f.engine->MutateItemAsync(
        f.a, KeyOfItem(*held, f.a),
        [&](const auto&) {
          decided = true;
          return StorageResult<Mutation>(Mutation::Delete());
        },
        [&](const auto& result) {
          if (!result.ok()) error_code = result.error().code;
        });
    ASSERT_TRUE(error_code.has_value());
    EXPECT_EQ(*error_code, StorageError::Code::kTransactionConflict);
    EXPECT_FALSE(decided);
  }
  // Another multi-item write sees the hold (and here declines).
  std::vector<ItemRef> overlap = {{&f.a, KeyOfItem(y, f.a)}, {&f.a, KeyOfItem(other, f.a)}};
  std::vector<ItemState> seen;
  auto declined = f.engine->MutateItems(overlap, [&](const std::vector<ItemState>& states) {
    seen = states;
    return StorageResult<std::vector<Mutation>>(std::vector<Mutation>(2));
  });
  ASSERT_TRUE(declined.ok());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[0].held);
  EXPECT_FALSE(seen[1].held);
  // Queued writes are not readable yet, and the read reports the holds.
  auto read = f.engine->ReadItemsTogether(refs);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE((*read)[0].held && (*read)[1].held && (*read)[2].held);
  EXPECT_FALSE((*read)[0].item.has_value());

  release.set_value();
  auto applied = outcome.get_future().get();
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  read = f.engine->ReadItemsTogether(refs);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE((*read)[0].held || (*read)[1].held || (*read)[2].held);
  EXPECT_EQ((*read)[0].item, x);
  EXPECT_EQ((*read)[1].item, y);
  EXPECT_FALSE((*read)[2].item.has_value());
  // The holds are gone: a single-item write succeeds.
  EXPECT_TRUE(f.engine->MutateItem(f.a, KeyOfItem(checked, f.a), [&](const auto&) {
                       return Mutation::Put(checked);
                     })
                  .ok());
}

TEST(RocksDbMultiItemTest, AGoneTableFailsTheWholeWrite) {
  Fixture f;
  const Item item = {{"pk", S("1")}};
  const Item ranged = {{"pk", S("1")}, {"sk", N("1")}};
  ASSERT_TRUE(f.engine->DeleteTable("b").ok());
  std::vector<ItemRef> refs = {{&f.a, KeyOfItem(item, f.a)}, {&f.b, KeyOfItem(ranged, f.b)}};
  auto result = f.engine->MutateItems(refs, [&](const std::vector<ItemState>&) {
    return StorageResult<std::vector<Mutation>>(
        std::vector<Mutation>{Mutation::Put(item), Mutation::Put(ranged)});
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, StorageError::Code::kTableNotFound);
  EXPECT_FALSE(f.engine->GetItem(f.a, KeyOfItem(item, f.a))->has_value());
  EXPECT_FALSE(f.engine->ReadItemsTogether(refs).ok());
}

// Transfers between accounts from many threads: each moves an amount between two accounts
// only when the source has it, retrying when an account is held. The total never changes,
// not at the end and not in any snapshot read while the transfers run.
TEST(RocksDbMultiItemTest, ConcurrentTransfersKeepTheTotal) {
  Fixture f;
  constexpr int kAccounts = 6;
  constexpr int kThreads = 6;
  constexpr int kTransfers = 300;
  constexpr int kStart = 100;
  std::vector<Item> accounts;
  for (int i = 0; i < kAccounts; ++i) {
    accounts.push_back({{"pk", S("acct" + std::to_string(i))}, {"balance", N(std::to_string(kStart))}});
    const Item& account = accounts.back();
    ASSERT_TRUE(f.engine->MutateItem(f.a, KeyOfItem(account, f.a), [&](const auto&) {
                             return Mutation::Put(account);
                           })
                    .ok());
  }
  auto balance = [](const Item& item) {
    return std::stoll(item.at("balance").as_number().ToString());
  };
  std::atomic<bool> stop{false};
  std::atomic<int> bad_snapshots{0};
  std::atomic<int> snapshots{0};
  std::thread reader([&] {
    std::vector<ItemRef> all;
    for (const Item& account : accounts) all.push_back({&f.a, KeyOfItem(account, f.a)});
    while (!stop.load()) {
      auto read = f.engine->ReadItemsTogether(all);
      if (!read.ok()) {
        bad_snapshots += 1;
        continue;
      }
      long long sum = 0;
      for (const ItemState& state : *read) sum += balance(*state.item);
      if (sum != kAccounts * kStart) bad_snapshots += 1;
      snapshots += 1;
    }
  });
  std::atomic<int> conflicts{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      std::mt19937 random(t);
      for (int n = 0; n < kTransfers;) {
        const int from = static_cast<int>(random() % kAccounts);
        const int to = (from + 1 + static_cast<int>(random() % (kAccounts - 1))) % kAccounts;
        const long long amount = 1 + static_cast<long long>(random() % 7);
        std::vector<ItemRef> refs = {{&f.a, KeyOfItem(accounts[from], f.a)},
                                     {&f.a, KeyOfItem(accounts[to], f.a)}};
        bool held = false;
        auto result = f.engine->MutateItems(refs, [&](const std::vector<ItemState>& states) {
          std::vector<Mutation> mutations(2);
          held = states[0].held || states[1].held;
          if (held || balance(*states[0].item) < amount) {
            return StorageResult<std::vector<Mutation>>(std::move(mutations));
          }
          Item source = *states[0].item;
          Item target = *states[1].item;
          source["balance"] = N(std::to_string(balance(source) - amount));
          target["balance"] = N(std::to_string(balance(target) + amount));
          mutations[0] = Mutation::Put(std::move(source));
          mutations[1] = Mutation::Put(std::move(target));
          return StorageResult<std::vector<Mutation>>(std::move(mutations));
        });
        ASSERT_TRUE(result.ok()) << result.error().message;
        if (held) {
          conflicts += 1;
        } else {
          ++n;
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  stop = true;
  reader.join();
  long long total = 0;
  for (const Item& account : accounts) {
    total += balance(**f.engine->GetItem(f.a, KeyOfItem(account, f.a)));
  }
  EXPECT_EQ(total, kAccounts * kStart);
  EXPECT_EQ(bad_snapshots.load(), 0);
  EXPECT_GT(snapshots.load(), 0);
  EXPECT_EQ(f.engine->GetTableStats(f.a)->item_count, kAccounts);
}

}  // namespace
}  // namespace dunlin::storage
