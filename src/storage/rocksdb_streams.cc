// RocksDbEngine's streams (stream_types.h): stream changes made with catalog changes, the
// record each item write leaves, reading records, and the maintenance thread that rolls
// shards, trims records past retention and drops streams whose retention has passed.
//
// Why the sequence numbers are exact: a record's number is taken inside the committer's
// queue lock, in the same step that adds the record to the batch, and batches are applied in
// the order they were queued. So numbers rise in commit order, a reader that sees a record
// sees every earlier one (unless its group failed), and a shard boundary taken the same way
// (AddStreamChangeWrites) splits the records exactly.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <future>
#include <mutex>
#include <utility>

#include "storage/group_commit.h"
#include "storage/item_codec.h"
#include "storage/rocksdb_engine.h"
#include "storage/rocksdb_status.h"
#include "storage/stream_codec.h"

namespace dunlin::storage {
namespace {

// A fresh start numbers records from this many per millisecond of the clock, so numbers stay
// above those of an earlier run even when all its records were trimmed.
constexpr uint64_t kSequencesPerMs = 1000000;

// "YYYY-MM-DDThh:mm:ss.sss" in UTC.
std::string FormatLabel(int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(epoch_ms % 1000));
  return text;
}

}  // namespace

int64_t RocksDbEngine::NowMs() const {
  if (options_.clock_ms) return options_.clock_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

RocksDbEngine::StreamChange RocksDbEngine::PlanStreamChange(const model::TableMetadata* before,
                                                            model::TableMetadata* after,
                                                            MetaRecord& next_meta) {
  StreamChange change;
  const model::TableStream* old_stream =
      before != nullptr && before->stream && before->stream->enabled ? &*before->stream : nullptr;
  model::TableStream* new_stream =
      after != nullptr && after->stream && after->stream->enabled ? &*after->stream : nullptr;
  if (old_stream != nullptr &&
      (new_stream == nullptr || new_stream->stream_id != old_stream->stream_id)) {
    change.closed = old_stream->stream_id;
  }
  if (new_stream == nullptr || new_stream->stream_id != 0) return change;
  const int64_t now = NowMs();
  // The creation time for a new table's stream, else now; later than every label of the name.
  int64_t label_ms = before == nullptr ? after->creation_time_ms : now;
  std::string label = FormatLabel(label_ms);
  {
    std::lock_guard lock(streams_mutex_);
    for (const auto& [id, info] : streams_) {
      if (info.table_name == after->name && info.label >= label) {
        // Labels of one name are distinct; the same formatted width makes text order time order.
        while (info.label >= label) label = FormatLabel(++label_ms);
      }
    }
  }
  new_stream->stream_id = next_meta.next_table_id++;
  new_stream->label = label;
  StreamInfo info;
  info.stream_id = new_stream->stream_id;
  info.table_name = after->name;
  info.table_id = after->internal_id;
  info.label = label;
  info.view_type = new_stream->view_type;
  info.key_schema = after->key_schema;
  info.enabled = true;
  info.created_ms = label_ms;
  info.shards.push_back(StreamShard{0, now, 0, std::nullopt});
  change.opened = std::move(info);
  return change;
}

uint64_t RocksDbEngine::TakeSequence(uint64_t stream_id) {
  const uint64_t sequence = next_sequence_.load(std::memory_order_relaxed);
  next_sequence_.store(sequence + 1, std::memory_order_release);
  if (stream_id != 0) last_sequence_[stream_id] = sequence;
  return sequence;
}

rocksdb::Status RocksDbEngine::AddStreamChangeWrites(rocksdb::WriteBatch& batch,
                                                     const StreamChange& change) {
  const int64_t now = NowMs();
  std::lock_guard lock(streams_mutex_);
  if (change.closed != 0) {
    auto it = streams_.find(change.closed);
    if (it != streams_.end() && it->second.enabled) {
      StreamInfo& info = it->second;
      info.enabled = false;
      info.disabled_ms = now;
      if (!info.shards.empty() && !info.shards.back().last_sequence) {
        StreamShard& open = info.shards.back();
        auto last = last_sequence_.find(info.stream_id);
        open.last_sequence = last != last_sequence_.end() && last->second > open.first_sequence
                                 ? last->second
                                 : open.first_sequence;
      }
      last_sequence_.erase(info.stream_id);
      rocksdb::Status status =
          batch.Put(streams_cf_, StreamInfoKey(info.stream_id), EncodeStreamInfo(info));
      if (!status.ok()) return status;
    }
  }
  if (change.opened) {
    StreamInfo info = *change.opened;
    info.shards.back().first_sequence = TakeSequence(0);
    rocksdb::Status status =
        batch.Put(streams_cf_, StreamInfoKey(info.stream_id), EncodeStreamInfo(info));
    if (!status.ok()) return status;
    streams_[info.stream_id] = std::move(info);
  }
  return rocksdb::Status::OK();
}

std::optional<std::string> RocksDbEngine::PlanRecord(const model::TableMetadata& table,
                                                     const std::optional<model::Item>& old_item,
                                                     const Mutation& mutation,
                                                     const std::optional<std::string>& new_value,
                                                     bool* unchanged) {
  *unchanged = false;
  if (!table.stream || !table.stream->enabled) return std::nullopt;
  const bool put = mutation.kind == Mutation::Kind::kPut;
  auto record = PlanStreamRecord(table.key_schema, table.stream->view_type,
                                 old_item ? &*old_item : nullptr, put ? &mutation.new_item : nullptr,
                                 put && new_value ? &*new_value : nullptr, NowMs(),
                                 mutation.by_service);
  *unchanged = !record.has_value();
  return record;
}

StorageResult<void> RocksDbEngine::LoadStreams() {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), streams_cf_));
  uint64_t next = static_cast<uint64_t>(std::max<int64_t>(NowMs(), 1)) * kSequencesPerMs;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    DUNLIN_ASSIGN_OR_RETURN(StreamInfo info, DecodeStreamInfo(it->value().ToStringView()));
    for (const StreamShard& shard : info.shards) {
      next = std::max(next, std::max(shard.first_sequence, shard.last_sequence.value_or(0)) + 1);
    }
    next = std::max(next, info.trim_horizon);
    // The stream's newest record.
    std::unique_ptr<rocksdb::Iterator> records(
        db_->NewIterator(rocksdb::ReadOptions(), stream_records_cf_));
    records->SeekForPrev(StreamRecordKey(info.stream_id, UINT64_MAX));
    if (records->Valid() && records->key().size() == 16 &&
        records->key().ToStringView().substr(0, 8) == StreamInfoKey(info.stream_id)) {
      const uint64_t last = StreamRecordSequence(records->key().ToStringView());
      next = std::max(next, last + 1);
      if (info.enabled) last_sequence_[info.stream_id] = last;
    }
    if (!records->status().ok()) return Fail(FromStatus(records->status(), "reading streams"));
    streams_[info.stream_id] = std::move(info);
  }
  if (!it->status().ok()) return Fail(FromStatus(it->status(), "reading streams"));
  next_sequence_.store(next);
  return {};
}

StorageResult<std::vector<StreamInfo>> RocksDbEngine::ListStreams() {
  std::lock_guard lock(streams_mutex_);
  std::vector<StreamInfo> out;
  out.reserve(streams_.size());
  for (const auto& [id, info] : streams_) out.push_back(info);
  return out;
}

uint64_t RocksDbEngine::NextStreamSequence() {
  return next_sequence_.load(std::memory_order_acquire);
}

StorageResult<std::vector<StreamRecord>> RocksDbEngine::ReadStream(uint64_t stream_id,
                                                                   uint64_t from, uint64_t through,
                                                                   size_t limit,
                                                                   int64_t max_bytes) {
  {
    std::lock_guard lock(streams_mutex_);
    auto it = streams_.find(stream_id);
    if (it == streams_.end()) {
      return Fail(StorageError{StorageError::Code::kStreamNotFound, "stream not found"});
    }
    // The horizon moves before the trimming write is applied: never show what it passed.
    from = std::max(from, it->second.trim_horizon);
  }
  std::vector<StreamRecord> records;
  if (from > through || limit == 0) return records;
  const std::string upper =
      through == UINT64_MAX ? StreamRecordKey(stream_id + 1, 0) : StreamRecordKey(stream_id, through + 1);
  rocksdb::ReadOptions read;
  rocksdb::Slice upper_slice(upper);
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, stream_records_cf_));
  int64_t bytes = 0;
  for (it->Seek(StreamRecordKey(stream_id, from)); it->Valid() && records.size() < limit;
       it->Next()) {
    DUNLIN_ASSIGN_OR_RETURN(StreamRecord record, DecodeStreamRecord(it->value().ToStringView()));
    if (!records.empty() && bytes + record.size_bytes > max_bytes) break;
    record.sequence = StreamRecordSequence(it->key().ToStringView());
    bytes += record.size_bytes;
    records.push_back(std::move(record));
  }
  if (!it->status().ok()) return Fail(FromStatus(it->status(), "reading a stream"));
  return records;
}

// --- Maintenance ---

void RocksDbEngine::StartStreamMaintenance() {
  maintenance_ = std::thread([this] { RunStreamMaintenance(); });
}

void RocksDbEngine::StopStreamMaintenance() {
  {
    std::lock_guard lock(maintenance_mutex_);
    maintenance_stopping_ = true;
  }
  maintenance_wake_.notify_all();
  if (maintenance_.joinable()) maintenance_.join();
}

void RocksDbEngine::RunStreamMaintenance() {
  std::unique_lock lock(maintenance_mutex_);
  while (!maintenance_stopping_) {
    maintenance_wake_.wait_for(lock,
                               std::chrono::milliseconds(options_.stream_maintenance_interval_ms),
                               [this] { return maintenance_stopping_; });
    if (maintenance_stopping_) break;
    lock.unlock();
    MaintainStreams();
    lock.lock();
  }
}

void RocksDbEngine::MaintainStreams() {
  const int64_t now = NowMs();
  const int64_t trim_before_ms = now - options_.stream_retention_ms;
  std::vector<StreamInfo> streams;
  {
    std::lock_guard lock(streams_mutex_);
    for (const auto& [id, info] : streams_) streams.push_back(info);
  }
  for (const StreamInfo& info : streams) {
    // Trimming: the first record young enough to keep.
    uint64_t horizon = info.trim_horizon;
    {
      const std::string upper = StreamRecordKey(info.stream_id + 1, 0);
      rocksdb::ReadOptions read;
      rocksdb::Slice upper_slice(upper);
      read.iterate_upper_bound = &upper_slice;
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, stream_records_cf_));
      for (it->Seek(StreamRecordKey(info.stream_id, horizon)); it->Valid(); it->Next()) {
        auto record = DecodeStreamRecord(it->value().ToStringView());
        if (record.ok() && record->created_ms >= trim_before_ms) break;
        horizon = StreamRecordSequence(it->key().ToStringView()) + 1;
      }
    }
    const bool drop = !info.enabled && info.disabled_ms < trim_before_ms;
    const bool roll = info.enabled && !info.shards.empty() &&
                      info.shards.back().created_ms + options_.stream_shard_roll_ms <= now;
    if (horizon == info.trim_horizon && !drop && !roll) continue;
    std::promise<rocksdb::Status> written;
    auto outcome = written.get_future();
    const uint64_t id = info.stream_id;
    committer_->Submit(
        [&](rocksdb::WriteBatch& batch) {
          std::lock_guard lock(streams_mutex_);
          auto it = streams_.find(id);
          if (it == streams_.end()) return rocksdb::Status::OK();
          StreamInfo& current = it->second;
          if (drop && !current.enabled) {
            rocksdb::Status status = batch.Delete(streams_cf_, StreamInfoKey(id));
            if (status.ok()) {
              status = batch.DeleteRange(stream_records_cf_, StreamRecordKey(id, 0),
                                         StreamRecordKey(id + 1, 0));
            }
            if (status.ok()) streams_.erase(it);
            return status;
          }
          rocksdb::Status status = rocksdb::Status::OK();
          if (horizon > current.trim_horizon) {
            status = batch.DeleteRange(stream_records_cf_, StreamRecordKey(id, 0),
                                       StreamRecordKey(id, horizon));
            current.trim_horizon = horizon;
            // Closed shards wholly trimmed leave the description.
            while (current.shards.size() > 1 && current.shards.front().last_sequence &&
                   *current.shards.front().last_sequence < horizon) {
              current.shards.erase(current.shards.begin());
            }
          }
          if (roll && current.enabled && !current.shards.back().last_sequence) {
            StreamShard& open = current.shards.back();
            auto last = last_sequence_.find(id);
            open.last_sequence = last != last_sequence_.end() && last->second > open.first_sequence
                                     ? last->second
                                     : open.first_sequence;
            StreamShard next{open.number + 1, now, TakeSequence(0), std::nullopt};
            current.shards.push_back(next);
          }
          if (status.ok()) {
            status = batch.Put(streams_cf_, StreamInfoKey(id), EncodeStreamInfo(current));
          }
          return status;
        },
        /*table_id=*/0, TableStats{},
        [&written](const rocksdb::Status& status) { written.set_value(status); });
    outcome.get().PermitUncheckedError();
  }
}

}  // namespace dunlin::storage
