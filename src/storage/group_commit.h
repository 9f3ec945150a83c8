// GroupCommitter: one thread that writes what many writers submitted as one RocksDB write
// batch, with one WAL write (and, when syncing, one fsync) per group.
//
// How it works: Submit() appends the writer's operations to the batch of the group being
// gathered, under a short lock, and queues its completion. The commit thread takes the whole
// group, adds one stats merge per table (the writers' deltas summed), writes it, and calls the
// completions in submission order with the write's status. While a group is being synced the
// next one gathers, so the number of writes per sync grows with the load, and a writer never
// blocks a thread while its write waits for the disk.
//
// Thread-safety: Submit() from any thread. Completions run on the commit thread, one after
// another, and must be quick (hand heavier work to another thread).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "storage/engine.h"

namespace dunlin::storage {

class GroupCommitter {
 public:
  // Adds one writer's operations to the group's batch; a failure leaves the batch as it was.
  using AddOps = std::function<rocksdb::Status(rocksdb::WriteBatch& batch)>;
  // Told the status of the write that carried the writer's operations.
  using Done = std::function<void(const rocksdb::Status& status)>;
  // Adds the merge of `delta` into the stats of table `table_id` to `batch`.
  using StatsWriter = std::function<rocksdb::Status(rocksdb::WriteBatch& batch, uint64_t table_id,
                                                    const TableStats& delta)>;

  // A change to one table's stats.
  struct TableDelta {
    uint64_t table_id = 0;
    TableStats delta;
  };

  // Runs on the commit thread when a write fails, before the failed group's completions.
  using FailureHook = std::function<void(const rocksdb::Status& status)>;

  // REQUIRES: `db` outlives the committer.
  GroupCommitter(rocksdb::DB* db, bool sync, StatsWriter stats_writer, FailureHook on_failure);
  // Commits everything submitted so far, then stops the thread.
  ~GroupCommitter();

  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues a write: `add` runs now, under the queue lock, and must be quick; `stats_delta` is
  // added to table `table_id`'s stats in the same write (skipped when table_id is 0). With
  // `stats_first`, the stats deltas gathered so far go into the batch before this writer's
  // operations (a writer that deletes a table's stats needs the earlier deltas before it).
  // `done` runs on the commit thread once the group is written, or at once with the error when
  // `add` fails. Writes are applied in submission order.
  void Submit(const AddOps& add, uint64_t table_id, const TableStats& stats_delta, Done done,
              bool stats_first = false) {
    const TableDelta delta{table_id, stats_delta};
    Submit(add, std::span<const TableDelta>(&delta, table_id != 0 ? 1 : 0), std::move(done),
           stats_first);
  }
  // Submit for a write that changes several tables' stats (a multi-item write).
  void Submit(const AddOps& add, std::span<const TableDelta> deltas, Done done,
              bool stats_first = false);

  // For the failure hook: takes the writes gathered for the next group out of the queue; their
  // completions are the caller's to run.
  std::vector<Done> TakeGathering();

  // Groups written and writes carried so far (for tests and diagnostics).
  struct Counters {
    uint64_t groups = 0;
    uint64_t writes = 0;
  };
  Counters counters() const;

 private:
  struct Group {
    rocksdb::WriteBatch batch;
    std::vector<Done> done;
    std::vector<TableDelta> stats;
  };

  void Run();
  // Adds the gathered stats deltas to the gathered batch (the caller then clears them).
  // REQUIRES: mutex_ held.
  rocksdb::Status FlushStatsLocked();

  rocksdb::DB* const db_;
  const bool sync_;
  const StatsWriter stats_writer_;
  const FailureHook on_failure_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  Group gathering_;  // guarded by mutex_
  bool stopping_ = false;
  Counters counters_;
  std::thread thread_;
};

}  // namespace dunlin::storage
