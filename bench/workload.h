// Workloads of dunlin-bench: the DynamoDB requests a load generator sends, and how it reads the
// answers. Pure: nothing here touches the network or the clock, so all of it is unit-tested.
//
// The data set. Item i of the key space [0, keys) lives in item collection i / 20 at position
// i % 20: pk = "c" + 8 digits of i / 20, sk = 2 digits of i % 20, plus a string attribute "data"
// sized so the whole item is --item-bytes by DynamoDB's measure (names plus values, see
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
// Counter items for the update workload sit in their own collections, pk = "counter" + 4 digits,
// sk = "00", with a number attribute "c". The table has pk (S) as hash key and sk (S) as range
// key, on-demand billing.
//
// The indexed table (the put-gsi workload). A table of its own (by default the table's name plus
// "-gsi", so the other workloads' table stays as it is) with the same key schema and item keys,
// no counters, and --gsi-count global secondary indexes: index i is named "gsi<i>" and has the
// string attribute "g<i>" as its only (hash) key; even-numbered indexes project KEYS_ONLY, odd
// ones ALL, so a run with two or more indexes writes both a small entry (the keys) and a full
// copy of the item per put. Every item carries g0..g<n-1>, each one of kGsiValues strings
// "000".."999" chosen independently, so index partitions hold many items each. The load derives
// them from the item's number; each put draws them afresh, so an overwrite of an item almost
// always (999 times in 1000) moves its entry in every index: the old entry is deleted and a new
// one written, the work a write to an indexed table does in DynamoDB
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Writes). The
// "data" payload shrinks by the size of the index attributes, so items keep --item-bytes.
//
// A Slot is one logical client: it has at most one request outstanding and picks the next one
// from its own random generator, seeded from --seed and the slot's number, so a run's request
// sequence per slot is reproducible.
//
// Thread-safety: a WorkloadContext is read-only during a run apart from its atomics; each Slot
// belongs to one thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace dunlin::bench {

// Items per item collection: what one Query returns.
inline constexpr int kCollectionItems = 20;
// The smallest --item-bytes: the key attributes and an empty-ish "data" already take 20 bytes.
inline constexpr int kMinItemBytes = 20;
// DynamoDB's item size limit.
inline constexpr int kMaxItemBytes = 400 * 1024;
// Load attempts per item before the loader gives up on it.
inline constexpr int kLoadAttempts = 5;
// The most global secondary indexes of the indexed table: DynamoDB's default quota per table
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
inline constexpr int kMaxGsiCount = 20;
// Distinct values of each index attribute g<i>.
inline constexpr int kGsiValues = 1000;

enum class Workload {
  kNone,      // set-up only (--create-table / --load), no measured run
  kPut,       // PutItem of random keys with a fresh payload
  kGet,       // GetItem of random keys
  kMix,       // GetItem or PutItem, get_percent of them reads
  kUpdate,    // conditional increment of a random counter item
  kQuery,     // Query of one whole random item collection
  kScan,      // Scan pages of scan_limit items, starting over at the end of the table
  kTransact,  // TransactWriteItems putting transact_items random items (distinct collections)
  kPutGsi,    // kPut into the indexed table: each put also moves the item's index entries
  kPutStream,  // kPut into the streamed table: each put also writes a stream record
  kLoad,      // PutItem of every item of the key space once, then every counter item; then done
};

// Operations, as indexes into per-operation statistics.
enum class Operation { kPutItem, kGetItem, kUpdateItem, kQuery, kScan, kTransactWriteItems };
inline constexpr int kOperationCount = 6;

// "PutItem", ...: also the X-Amz-Target suffix.
std::string_view OperationName(Operation op);
// "put", "get", "mix", "update", "query", "scan", "transact", "put-gsi", "put-stream", "none"
// (and "load"), and back; ParseWorkload accepts all but "load", failing with a message that lists
// them.
std::string_view WorkloadName(Workload workload);
Result<Workload, std::string> ParseWorkload(std::string_view name);

struct WorkloadOptions {
  // The table every request goes to: the indexed table for kPutGsi (and its load).
  // REQUIRES: a valid DynamoDB table name (3-255 of [A-Za-z0-9_.-]), so it needs no escaping.
  std::string table = "dunlin-bench";
  // Global secondary indexes of `table`: 0 for the plain table, 1..kMaxGsiCount for the indexed
  // one, whose items (loaded and put) carry g0..g<gsi_count-1>. REQUIRES: >= 1 for kPutGsi.
  int gsi_count = 0;
  // Whether `table` is the streamed table (kPutStream and its load): CreateTable enables a
  // NEW_AND_OLD_IMAGES stream on it. REQUIRES: gsi_count == 0 when set.
  bool stream = false;
  int64_t keys = 100000;   // items in the key space, >= 1
  int item_bytes = 200;    // kMinItemBytes..kMaxItemBytes
  int counters = 10;       // counter items, >= 1
  int get_percent = 50;    // share of GetItem in the mix workload, 0..100
  int scan_limit = 100;    // Limit of each Scan page, >= 1
  int transact_items = 4;  // Puts per TransactWriteItems, 1..100
};

// True for a name DynamoDB accepts for a table, per
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
bool IsValidTableName(std::string_view name);

// Keys of the data set (see the top of this file).
std::string PartitionKey(int64_t collection);
std::string SortKey(int64_t position);
std::string CounterPartitionKey(int counter);
// Number of item collections of `keys` items, and the items in collection `collection` (the last
// one may be short).
int64_t CollectionCount(int64_t keys);
int64_t CollectionSize(int64_t keys, int64_t collection);
// Length of the "data" string that makes an item of the key space `item_bytes` long, with
// `gsi_count` index attributes (0 on the plain table).
int PayloadBytes(int item_bytes, int gsi_count = 0);
// The smallest item size whose "data" still has one character: kMinItemBytes on the plain table.
int MinItemBytes(int gsi_count);

// The indexed table (see the top of this file). Its default name: `table` + "-gsi".
std::string IndexedTableName(std::string_view table);
// "gsi<i>", "g<i>", and value number `value` (0..kGsiValues-1) as stored: 3 digits.
std::string GsiIndexName(int index);
std::string GsiAttributeName(int index);
std::string GsiValue(int value);
// "KEYS_ONLY" for an even `index`, "ALL" for an odd one.
std::string_view GsiProjectionType(int index);

// The streamed table (the put-stream and stream-lag workloads): the plain table's key schema and
// items, with a stream of view type kStreamViewType, so every write also writes a stream record
// with both images, the most a record carries
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html). Its default
// name: `table` + "-stream".
inline constexpr std::string_view kStreamViewType = "NEW_AND_OLD_IMAGES";
std::string StreamTableName(std::string_view table);

// Request bodies (DynamoDB JSON, compact). `payload` is the "data" string and must be plain
// ASCII without quotes or backslashes.
// With `gsi_count` > 0 (at most kMaxGsiCount), the indexed table: AttributeDefinitions add
// g0..g<gsi_count-1> (S), and GlobalSecondaryIndexes defines the indexes (on-demand billing, so
// they take no ProvisionedThroughput), per
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
// With `stream`, StreamSpecification enables a kStreamViewType stream (the streamed table).
std::string CreateTableBody(std::string_view table, int gsi_count = 0, bool stream = false);
std::string DescribeTableBody(std::string_view table);
// Item `index` of the key space with `payload` and, on the indexed table, g<i> = GsiValue of
// `gsi_values[i]` for each i (values 0..kGsiValues-1).
std::string PutItemBody(std::string_view table, int64_t index, std::string_view payload,
                        std::span<const int> gsi_values = {});
std::string GetItemBody(std::string_view table, int64_t index);
// Creates (or resets) counter `counter` with c = 0.
std::string PutCounterBody(std::string_view table, int counter);
// Reads counter `counter` with a strongly consistent read.
std::string GetCounterBody(std::string_view table, int counter);
// UpdateItem "SET #c = #c + :one" under "attribute_exists(pk)".
std::string IncrementCounterBody(std::string_view table, int counter);
// TransactWriteItems putting the items `indexes` (in distinct collections) with `payload`.
std::string TransactPutBody(std::string_view table, const std::vector<int64_t>& indexes,
                            std::string_view payload);
std::string QueryCollectionBody(std::string_view table, int64_t collection);
// `exclusive_start_key` is a LastEvaluatedKey as returned (JSON), or empty to start a new scan.
std::string ScanPageBody(std::string_view table, int scan_limit,
                         std::string_view exclusive_start_key);

// Readers of response bodies. Each fails with a short message when the body is not the JSON
// object it should be.
// The error name of an error response: the part of "__type" after '#', or empty when absent.
std::string ErrorType(std::string_view body);
// LastEvaluatedKey of a Scan or Query page, re-encoded compactly; nullopt on the last page.
Result<std::optional<std::string>, std::string> LastEvaluatedKey(std::string_view body);
// "Count" of a Query or Scan page.
Result<int64_t, std::string> ResultCount(std::string_view body);
// The "c" number of a GetItem answer for a counter; nullopt when there is no such item.
Result<std::optional<int64_t>, std::string> CounterValue(std::string_view body);
// Table.TableStatus of a DescribeTable answer ("ACTIVE", "CREATING", ...).
Result<std::string, std::string> TableStatus(std::string_view body);
// Whether the table a DescribeTable answer describes is usable as the indexed table with
// `gsi_count` indexes: true when its global secondary indexes are exactly those
// CreateTableBody(table, gsi_count) defines (names, hash keys, projections) and all ACTIVE; false
// while one is still being created (or updated); fails, saying what differs, when they are not
// those indexes, so that a run never measures a table of another shape.
Result<bool, std::string> IndexedTableReady(std::string_view body, int gsi_count);
// Whether the table a DescribeTable answer describes has an enabled stream of kStreamViewType
// (the streamed table); fails, saying what it has instead, when not.
Result<void, std::string> StreamedTableReady(std::string_view body);
// Table.LatestStreamArn of a DescribeTable answer; fails when the table has none.
Result<std::string, std::string> LatestStreamArn(std::string_view body);

// Shared by every slot of a run.
struct WorkloadContext {
  WorkloadContext(Workload workload_in, WorkloadOptions options_in, uint64_t seed);

  const Workload workload;
  const WorkloadOptions options;
  // Random printable characters that PutItem payloads are cut from.
  const std::string payload_pool;
  // kLoad: the next item to load (0..keys-1 items, then keys..keys+counters-1 counters), and how
  // many the loader gave up on after kLoadAttempts failures.
  mutable std::atomic<int64_t> load_next{0};
  mutable std::atomic<int64_t> load_abandoned{0};
  // The total number of things kLoad writes; the indexed table has no counters.
  int64_t LoadTotal() const {
    return options.keys + (options.gsi_count > 0 ? 0 : options.counters);
  }
};

struct SlotRequest {
  Operation op;
  std::string body;
};

// What a 2xx answer said about the data.
struct SlotOutcome {
  // GetItem found no item, or a Query returned fewer items than its collection holds: the table
  // lacks the preloaded data (run with --load).
  bool missing = false;
};

class Slot {
 public:
  // `context` must outlive the slot. Slots of one run get distinct `slot_number`s.
  Slot(const WorkloadContext& context, uint64_t seed, int64_t slot_number);

  // The next request to send; nullopt when there is nothing left (kLoad is done, kNone).
  // REQUIRES: the previous request, if any, was answered (OnResponse) or failed (OnFailure).
  std::optional<SlotRequest> Next();
  // The answer to the last request: HTTP status and body.
  SlotOutcome OnResponse(int status, std::string_view body);
  // The last request got no answer (connection lost, timeout).
  void OnFailure();

 private:
  SlotRequest NextLoad();
  SlotRequest NextPut();
  int64_t RandomIndex(int64_t bound);  // uniform in [0, bound)

  const WorkloadContext& context_;
  std::mt19937_64 random_;
  Operation last_op_ = Operation::kGetItem;
  int64_t last_collection_ = 0;
  // kLoad: the item being written and its failed attempts so far; -1 when none.
  int64_t load_index_ = -1;
  int load_failures_ = 0;
  // kScan: where the next page starts (empty: a new scan).
  std::string scan_start_key_;
};

}  // namespace dunlin::bench
