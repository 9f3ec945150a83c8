#include "storage/group_commit.h"

namespace dunlin::storage {

GroupCommitter::GroupCommitter(rocksdb::DB* db, bool sync, StatsWriter stats_writer,
                               FailureHook on_failure)
    : db_(db),
      sync_(sync),
      stats_writer_(std::move(stats_writer)),
      on_failure_(std::move(on_failure)) {
  thread_ = std::thread([this] { Run(); });
}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void GroupCommitter::Submit(const AddOps& add, std::span<const TableDelta> deltas, Done done,
                            bool stats_first) {
  rocksdb::Status added;
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    gathering_.batch.SetSavePoint();
    if (stats_first) added = FlushStatsLocked();
    if (added.ok()) added = add(gathering_.batch);
    if (!added.ok()) {
      gathering_.batch.RollbackToSavePoint().PermitUncheckedError();
    } else {
      gathering_.batch.PopSavePoint().PermitUncheckedError();
      if (stats_first) gathering_.stats.clear();  // now in the batch
      first = gathering_.done.empty();
      gathering_.done.push_back(std::move(done));
      for (const TableDelta& change : deltas) {
        if (change.table_id == 0) continue;
        bool merged = false;
        for (TableDelta& entry : gathering_.stats) {
          if (entry.table_id == change.table_id) {
            entry.delta.item_count += change.delta.item_count;
            entry.delta.size_bytes += change.delta.size_bytes;
            merged = true;
            break;
          }
        }
        if (!merged) gathering_.stats.push_back(change);
      }
    }
  }
  if (!added.ok()) {
    done(added);
    return;
  }
  // Only the first writer of a group needs to wake the thread: later ones find it awake, or
  // their group is taken whole when the thread next looks.
  if (first) wake_.notify_one();
}

rocksdb::Status GroupCommitter::FlushStatsLocked() {
  for (const TableDelta& entry : gathering_.stats) {
    rocksdb::Status status = stats_writer_(gathering_.batch, entry.table_id, entry.delta);
    if (!status.ok()) return status;
  }
  return rocksdb::Status::OK();
}

std::vector<GroupCommitter::Done> GroupCommitter::TakeGathering() {
  std::lock_guard lock(mutex_);
  std::vector<Done> taken = std::move(gathering_.done);
  gathering_.done.clear();
  gathering_.batch.Clear();
  gathering_.stats.clear();
  return taken;
}

GroupCommitter::Counters GroupCommitter::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void GroupCommitter::Run() {
  rocksdb::WriteOptions write;
  write.sync = sync_;
  Group writing;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !gathering_.done.empty(); });
      if (gathering_.done.empty()) return;  // stopping, and nothing left to write
      std::swap(writing, gathering_);
      counters_.groups += 1;
      counters_.writes += writing.done.size();
    }
    rocksdb::Status status;
    for (const TableDelta& entry : writing.stats) {
      status = stats_writer_(writing.batch, entry.table_id, entry.delta);
      if (!status.ok()) break;
    }
    if (status.ok()) status = db_->Write(write, &writing.batch);
    if (!status.ok() && on_failure_) on_failure_(status);
    for (Done& done : writing.done) done(status);
    // Cleared, not destroyed: the batch keeps its buffer for the next group.
    writing.batch.Clear();
    writing.done.clear();
    writing.stats.clear();
  }
}

}  // namespace dunlin::storage
