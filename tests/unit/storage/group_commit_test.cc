// GroupCommitter: writers share groups, completions run in submission order, stats deltas are
// summed per table, and a failed write fails its group and hands the queue to the hook.
#include "storage/group_commit.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage_test_util.h"

namespace dunlin::storage {
namespace {

using testing::TempDir;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_.path(), &db).ok());
    db_.reset(db);
  }

  std::string Get(const std::string& key) {
    std::string value;
    rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), key, &value);
    return status.ok() ? value : "<" + status.ToString() + ">";
  }

  TempDir dir_;
  std::unique_ptr<rocksdb::DB> db_;
};

GroupCommitter::AddOps PutOp(std::string key, std::string value) {
  return [key, value](rocksdb::WriteBatch& batch) { return batch.Put(key, value); };
}

// Holds the commit thread inside its first group until released, so the writes submitted
// meanwhile are known to form the second group.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false;
  bool released = false;

  void EnterAndWait() {
    std::unique_lock lock(mutex);
    entered = true;
    changed.notify_all();
    changed.wait(lock, [this] { return released; });
  }
  void WaitEntered() {
    std::unique_lock lock(mutex);
    changed.wait(lock, [this] { return entered; });
  }
  void Release() {
    std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  }
};

TEST_F(GroupCommitTest, WritesQueuedDuringACommitShareTheNextGroup) {
  Gate gate;
  std::vector<std::pair<uint64_t, TableStats>> stats_written;
  std::atomic<int> stats_calls{0};
  auto committer = std::make_unique<GroupCommitter>(
      db_.get(), /*sync=*/true,
      [&](rocksdb::WriteBatch& batch, uint64_t table_id, const TableStats& delta) {
        if (stats_calls.fetch_add(1) == 0) gate.EnterAndWait();
        stats_written.emplace_back(table_id, delta);
        return batch.Put("stats" + std::to_string(table_id),
                         std::to_string(delta.item_count) + "/" + std::to_string(delta.size_bytes));
      },
      nullptr);

  std::mutex order_mutex;
  std::vector<int> completed;
  auto record = [&](int id) {
    return [&, id](const rocksdb::Status& status) {
      EXPECT_TRUE(status.ok()) << status.ToString();
      std::lock_guard lock(order_mutex);
      completed.push_back(id);
    };
  };
  committer->Submit(PutOp("k0", "v0"), 1, TableStats{1, 10}, record(0));
  gate.WaitEntered();
  // The first group is being written; these 50 gather behind it, over two tables.
  for (int i = 1; i <= 50; ++i) {
    committer->Submit(PutOp("k" + std::to_string(i), "v" + std::to_string(i)), 1 + i % 2,
                      TableStats{1, i}, record(i));
  }
  gate.Release();
  committer.reset();  // writes what is queued

  ASSERT_EQ(completed.size(), 51u);
  for (int i = 0; i <= 50; ++i) EXPECT_EQ(completed[i], i);
  EXPECT_EQ(Get("k0"), "v0");
  EXPECT_EQ(Get("k50"), "v50");
  // Group 1: table 1 (+1, 10). Group 2: one summed delta per table.
  ASSERT_EQ(stats_written.size(), 3u);
  EXPECT_EQ(stats_written[0].first, 1u);
  int64_t table1_bytes = 0, table2_bytes = 0;
  for (int i = 1; i <= 50; ++i) (i % 2 == 0 ? table1_bytes : table2_bytes) += i;
  EXPECT_EQ(Get("stats1"), "25/" + std::to_string(table1_bytes));  // even i
  EXPECT_EQ(Get("stats2"), "25/" + std::to_string(table2_bytes));  // odd i
}

TEST_F(GroupCommitTest, CountsGroupsAndWrites) {
  GroupCommitter committer(
      db_.get(), /*sync=*/false,
      [](rocksdb::WriteBatch&, uint64_t, const TableStats&) { return rocksdb::Status::OK(); },
      nullptr);
  std::atomic<int> done{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) {
        committer.Submit(PutOp("t" + std::to_string(t) + "-" + std::to_string(i), "x"), 0, {},
                         [&](const rocksdb::Status& status) {
                           EXPECT_TRUE(status.ok());
                           done.fetch_add(1);
                         });
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  while (done.load() < 1000) std::this_thread::yield();
  const GroupCommitter::Counters counters = committer.counters();
  EXPECT_EQ(counters.writes, 1000u);
  EXPECT_GE(counters.groups, 1u);
  EXPECT_LE(counters.groups, 1000u);
  EXPECT_EQ(Get("t3-249"), "x");
}

TEST_F(GroupCommitTest, StatsFirstPutsEarlierDeltasBeforeTheWritersOperations) {
  Gate gate;
  std::atomic<int> stats_calls{0};
  auto committer = std::make_unique<GroupCommitter>(
      db_.get(), /*sync=*/false,
      [&](rocksdb::WriteBatch& batch, uint64_t table_id, const TableStats& delta) {
        if (stats_calls.fetch_add(1) == 0) gate.EnterAndWait();
        return batch.Put("stats" + std::to_string(table_id), std::to_string(delta.item_count));
      },
      nullptr);
  committer->Submit(PutOp("a", "1"), 7, TableStats{1, 1}, [](const rocksdb::Status&) {});
  gate.WaitEntered();
  committer->Submit(PutOp("b", "1"), 9, TableStats{5, 1}, [](const rocksdb::Status&) {});
  // Deletes table 9's stats: the delta above must land before the delete, not after it.
  committer->Submit([](rocksdb::WriteBatch& batch) { return batch.Delete("stats9"); }, 0, {},
                    [](const rocksdb::Status&) {}, /*stats_first=*/true);
  gate.Release();
  committer.reset();
  EXPECT_EQ(Get("stats7"), "1");
  EXPECT_EQ(Get("stats9"), "<NotFound: >");
  EXPECT_EQ(Get("b"), "1");
}

TEST_F(GroupCommitTest, AFailedWriteFailsItsGroupAndTheHookTakesTheQueue) {
  Gate gate;
  std::atomic<int> stats_calls{0};
  GroupCommitter* raw = nullptr;
  std::vector<GroupCommitter::Done> taken;
  std::string hook_status;
  auto committer = std::make_unique<GroupCommitter>(
      db_.get(), /*sync=*/false,
      [&](rocksdb::WriteBatch&, uint64_t, const TableStats&) {
        if (stats_calls.fetch_add(1) == 0) {
          gate.EnterAndWait();
          return rocksdb::Status::IOError("disk on fire");
        }
        return rocksdb::Status::OK();
      },
      [&](const rocksdb::Status& status) {
        hook_status = status.ToString();
        taken = raw->TakeGathering();
      });
  raw = committer.get();

  std::vector<std::string> outcomes(3);
  auto record = [&](int id) {
    return [&, id](const rocksdb::Status& status) { outcomes[id] = status.ToString(); };
  };
  committer->Submit(PutOp("a", "1"), 1, TableStats{1, 1}, record(0));
  gate.WaitEntered();
  committer->Submit(PutOp("b", "1"), 1, TableStats{1, 1}, record(1));
  committer->Submit(PutOp("c", "1"), 0, {}, record(2));
  gate.Release();
  committer.reset();

  EXPECT_EQ(hook_status, "IO error: disk on fire");
  EXPECT_EQ(outcomes[0], "IO error: disk on fire");
  // The queued writes were handed to the hook, not written; their completions are its to run.
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(outcomes[1], "");
  for (auto& done : taken) done(rocksdb::Status::Aborted("dropped"));
  EXPECT_EQ(outcomes[1], "Operation aborted: dropped");
  EXPECT_EQ(outcomes[2], "Operation aborted: dropped");
  EXPECT_EQ(Get("a"), "<NotFound: >");
  EXPECT_EQ(Get("b"), "<NotFound: >");
  EXPECT_EQ(Get("c"), "<NotFound: >");
}

TEST_F(GroupCommitTest, AFailingAddLeavesTheGroupUntouched) {
  GroupCommitter committer(
      db_.get(), /*sync=*/false,
      [](rocksdb::WriteBatch&, uint64_t, const TableStats&) { return rocksdb::Status::OK(); },
      nullptr);
  std::string outcome = "not called";
  committer.Submit(
      [](rocksdb::WriteBatch& batch) {
        batch.Put("half", "written").PermitUncheckedError();
        return rocksdb::Status::InvalidArgument("too big");
      },
      0, {}, [&](const rocksdb::Status& status) { outcome = status.ToString(); });
  // Reported at once, on the submitting thread.
  EXPECT_EQ(outcome, "Invalid argument: too big");
  std::atomic<bool> done{false};
  committer.Submit(PutOp("whole", "yes"), 0, {}, [&](const rocksdb::Status&) { done = true; });
  while (!done.load()) std::this_thread::yield();
  EXPECT_EQ(Get("whole"), "yes");
  EXPECT_EQ(Get("half"), "<NotFound: >");
}

}  // namespace
}  // namespace dunlin::storage
