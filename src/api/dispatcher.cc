#include "api/dispatcher.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <zlib.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <optional>
#include <random>
#include <string_view>

#include "api/item_request.h"
#include "api/operations/operations.h"
#include "api/request_tokens.h"
#include "common/json_writer.h"
#include "model/json_codec.h"

namespace dunlin::api {
namespace {

// A binary value that is not base64, anywhere in the request: the service refuses it while
// reading the request, before anything else is checked (SerializationException), and
// DynamoDB Local fails on it whatever else the request holds. Operations read values in
// their own order, so a request they refuse for another reason is looked over for one (a
// request that succeeds has had every value read). ExpressionAttributeNames maps names, not
// values, so it is skipped.
std::optional<ApiError> FindMalformedBinary(simdjson::dom::element element) {
  if (element.is_array()) {
    for (simdjson::dom::element item : simdjson::dom::array(element)) {
      if (auto error = FindMalformedBinary(item)) return error;
    }
    return std::nullopt;
  }
  if (!element.is_object()) return std::nullopt;
  const simdjson::dom::object object(element);
  for (auto field : object) {
    if (field.key == "ExpressionAttributeNames") continue;
    const bool binary = (field.key == "B" && field.value.is_string()) ||
                        (field.key == "BS" && field.value.is_array());
    if (binary && object.size() == 1) {
      auto value = model::ParseAttributeValue(element);
      if (!value.ok() && value.error().kind == model::ModelError::Kind::kSerialization) {
        return FromModel(std::move(value).error());
      }
      continue;
    }
    if (auto error = FindMalformedBinary(field.value)) return error;
  }
  return std::nullopt;
}


constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
// DynamoDB Streams shares the endpoint under its own target prefix.
constexpr std::string_view kStreamsTargetPrefix = "DynamoDBStreams_20120810.";
constexpr std::string_view kContentType = "application/x-amz-json-1.0";
constexpr size_t kMaxRetainedParserBytes = 1 << 20;

struct OperationEntry {
  std::string_view name;
  Operation run;
  // Waits for a synced write on the calling thread (catalog changes), so it runs on the pool
  // of blocking threads. Item writes do not: they queue their write and answer later.
  bool blocks;
};

constexpr OperationEntry kOperations[] = {
    {"BatchGetItem", operations::BatchGetItem, false},
    {"BatchWriteItem", operations::BatchWriteItem, false},
    {"CreateTable", operations::CreateTable, true},
    {"DeleteItem", operations::DeleteItem, false},
    {"DeleteTable", operations::DeleteTable, true},
    {"DescribeEndpoints", operations::DescribeEndpoints, false},
    {"DescribeLimits", operations::DescribeLimits, false},
    {"DescribeTable", operations::DescribeTable, false},
    {"DescribeTimeToLive", operations::DescribeTimeToLive, false},
    {"GetItem", operations::GetItem, false},
    {"ListTables", operations::ListTables, false},
    {"ListTagsOfResource", operations::ListTagsOfResource, false},
    {"PutItem", operations::PutItem, false},
    {"Query", operations::Query, false},
    {"Scan", operations::Scan, false},
    {"TagResource", operations::TagResource, true},
    {"TransactGetItems", operations::TransactGetItems, false},
    {"TransactWriteItems", operations::TransactWriteItems, false},
    {"UntagResource", operations::UntagResource, true},
    {"UpdateItem", operations::UpdateItem, false},
    {"UpdateTable", operations::UpdateTable, true},
    {"UpdateTimeToLive", operations::UpdateTimeToLive, true},
};

constexpr OperationEntry kStreamsOperations[] = {
    {"DescribeStream", operations::DescribeStream, false},
    {"GetRecords", operations::GetRecords, false},
    {"GetShardIterator", operations::GetShardIterator, false},
    {"ListStreams", operations::ListStreams, false},
};

// DynamoDB operations that a later version implements; named in the error instead of
// "unknown operation" so users know what is missing.
constexpr std::string_view kPlannedOperations[] = {
    "BatchExecuteStatement",
    "CreateBackup",
    "CreateGlobalTable",
    "DeleteBackup",
    "DeleteResourcePolicy",
    "DescribeBackup",
    "DescribeContinuousBackups",
    "DescribeContributorInsights",
    "DescribeExport",
    "DescribeGlobalTable",
    "DescribeGlobalTableSettings",
    "DescribeImport",
    "DescribeKinesisStreamingDestination",
    "DescribeTableReplicaAutoScaling",
    "DisableKinesisStreamingDestination",
    "EnableKinesisStreamingDestination",
    "ExecuteStatement",
    "ExecuteTransaction",
    "ExportTableToPointInTime",
    "GetResourcePolicy",
    "ImportTable",
    "ListBackups",
    "ListContributorInsights",
    "ListExports",
    "ListGlobalTables",
    "ListImports",
    "PutResourcePolicy",
    "RestoreTableFromBackup",
    "RestoreTableToPointInTime",
    "UpdateContinuousBackups",
    "UpdateContributorInsights",
    "UpdateGlobalTable",
    "UpdateGlobalTableSettings",
    "UpdateKinesisStreamingDestination",
    "UpdateTableReplicaAutoScaling",
};

template <size_t N>
const OperationEntry* FindOperation(const OperationEntry (&entries)[N], std::string_view name) {
  for (const OperationEntry& entry : entries) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

// The operation an X-Amz-Target names, and whether it names a DynamoDB or Streams operation
// at all (`name` is then the part after the prefix).
struct TargetLookup {
  bool known_prefix = false;
  bool streams = false;
  std::string_view name;
  const OperationEntry* entry = nullptr;
};

TargetLookup LookUpTarget(std::string_view target) {
  TargetLookup lookup;
  if (target.substr(0, kTargetPrefix.size()) == kTargetPrefix) {
    lookup.known_prefix = true;
    lookup.name = target.substr(kTargetPrefix.size());
    lookup.entry = FindOperation(kOperations, lookup.name);
  } else if (target.substr(0, kStreamsTargetPrefix.size()) == kStreamsTargetPrefix) {
    lookup.known_prefix = true;
    lookup.streams = true;
    lookup.name = target.substr(kStreamsTargetPrefix.size());
    lookup.entry = FindOperation(kStreamsOperations, lookup.name);
  }
  return lookup;
}

bool IsPlanned(std::string_view name) {
  for (std::string_view planned : kPlannedOperations) {
    if (planned == name) return true;
  }
  return false;
}

// DynamoDB's request ids: 52 characters of [A-Z0-9].
std::string NewRequestId() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 random(std::random_device{}());
  std::string id(52, 'A');
  for (char& c : id) c = kAlphabet[random() % 36];
  return id;
}

http::HttpResponse JsonResponse(int status, std::string body) {
  http::HttpResponse response;
  response.status = status;
  response.content_type = std::string(kContentType);
  const uint32_t crc = static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
  response.headers.emplace_back("x-amzn-RequestId", NewRequestId());
  response.headers.emplace_back("x-amz-crc32", std::to_string(crc));
  response.body = std::move(body);
  return response;
}

http::HttpResponse ErrorResponse(const ApiError& error) {
  return JsonResponse(HttpStatus(error.type), ToWireBody(error));
}

ApiError FromAuth(const http::AuthError& error) {
  using http::AuthFailure;
  switch (error.failure) {
    case AuthFailure::kMissingAuthentication:
      return {ErrorType::kMissingAuthenticationToken, "Request is missing Authentication Token"};
    case AuthFailure::kMalformed:
    case AuthFailure::kMissingDate:
      return {ErrorType::kIncompleteSignature, error.detail};
    case AuthFailure::kUnknownAccessKey:
      return {ErrorType::kUnrecognizedClient,
              "The security token included in the request is invalid."};
    case AuthFailure::kSignatureMismatch:
      return {ErrorType::kInvalidSignature,
              "The request signature we calculated does not match the signature you provided. "
              "Check your AWS Secret Access Key and signing method. Consult the service "
              "documentation for details."};
    case AuthFailure::kExpired:
      return {ErrorType::kInvalidSignature, "Signature expired: " + error.detail};
    case AuthFailure::kWrongRegion:
      return {ErrorType::kInvalidSignature,
              "Credential should be scoped to a valid region. " + error.detail};
    case AuthFailure::kWrongService:
      return {ErrorType::kInvalidSignature,
              "Credential should be scoped to correct service: 'dynamodb'. " + error.detail};
  }
  return {ErrorType::kInvalidSignature, "Invalid signature"};
}

int64_t SystemClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

class Dispatcher::WritePool {
 public:
  explicit WritePool(int threads) : pool_(static_cast<size_t>(threads)) {}
  ~WritePool() { pool_.join(); }
  template <typename F>
  void Post(F&& work) {
    boost::asio::post(pool_, std::forward<F>(work));
  }

 private:
  boost::asio::thread_pool pool_;
};

Dispatcher::Dispatcher(storage::Engine& engine, DispatcherOptions options)
    : engine_(engine), options_(std::move(options)) {
  if (!options_.clock_ms) options_.clock_ms = SystemClockMs;
  write_pool_ = std::make_unique<WritePool>(std::max(1, options_.write_threads));
  request_tokens_ = std::make_unique<RequestTokens>();
}

Dispatcher::~Dispatcher() = default;

void Dispatcher::Handle(http::HttpRequest request, http::Responder respond) {
  std::string_view target = request.Header("x-amz-target");
  const OperationEntry* entry = LookUpTarget(target).entry;
  const bool blocks = entry != nullptr && entry->blocks;
  if (!blocks) {
    Run(request, respond, /*may_defer=*/true);
    return;
  }
  write_pool_->Post([this, request = std::move(request), respond = std::move(respond)]() {
    http::HttpResponse response;
    try {
      response = Process(request);
    } catch (...) {
      response = ErrorResponse(ApiError::Internal("Internal server error"));
    }
    respond(std::move(response));
  });
}

http::HttpResponse Dispatcher::Process(const http::HttpRequest& request) {
  http::HttpResponse response;
  Run(
      request, [&response](http::HttpResponse answer) { response = std::move(answer); },
      /*may_defer=*/false);
  return response;
}

void Dispatcher::Run(const http::HttpRequest& request, const http::Responder& respond,
                     bool may_defer) {
  std::optional<http::HttpResponse> response = Prepare(request, respond, may_defer);
  if (response) respond(std::move(*response));
}

std::optional<http::HttpResponse> Dispatcher::Prepare(const http::HttpRequest& request,
                                                      const http::Responder& respond,
                                                      bool may_defer) {
  if (request.method == "GET") {
    http::HttpResponse health;
    health.content_type = "text/plain";
    health.body = fmt::format("healthy: dynamodb.{}.amazonaws.com ", options_.service.region);
    return health;
  }
  if (request.method != "POST") {
    return ErrorResponse(ApiError::UnknownOperation());
  }
  if (request.body_error == http::HttpRequest::BodyError::kTooLarge) {
    http::HttpResponse response = ErrorResponse(
        {ErrorType::kRequestEntityTooLarge,
         fmt::format("Request entity too large: the request body is limited to {} bytes",
                     options_.max_body_bytes)});
    response.close = true;
    return response;
  }

  http::VerifyOptions verify;
  verify.credentials = options_.credentials;
  // Without credentials any well-formed signature is accepted, whatever region it names (as
  // DynamoDB Local does); with them the scope must name this server's region.
  verify.region = options_.credentials != nullptr ? options_.service.region : "";
  const int64_t now_ms = options_.clock_ms();
  auto auth = http::Verify(request, verify, now_ms / 1000);
  if (!auth.ok()) return ErrorResponse(FromAuth(auth.error()));

  if (request.body_error == http::HttpRequest::BodyError::kBadEncoding) {
    return ErrorResponse(ApiError::Serialization("The request body could not be decompressed"));
  }
  std::string_view target = request.Header("x-amz-target");
  const TargetLookup lookup = LookUpTarget(target);
  if (!lookup.known_prefix) {
    // A target of another service or API version ("Foo_20120810.X") is an invalid action; a
    // missing or empty one, or one without an operation, is an unknown operation.
    const size_t dot = target.find('.');
    if (dot != std::string_view::npos && dot + 1 < target.size()) {
      return ErrorResponse({ErrorType::kInvalidAction,
                            "The action or operation requested is invalid. Verify that the "
                            "action is typed correctly."});
    }
    return ErrorResponse(ApiError::UnknownOperation());
  }
  std::string_view name = lookup.name;
  const OperationEntry* entry = lookup.entry;
  if (entry == nullptr) {
    if (!lookup.streams && IsPlanned(name)) {
      return ErrorResponse(ApiError::Validation(
          fmt::format("The operation {} is not supported by this version of Dunlin yet", name)));
    }
    return ErrorResponse(ApiError::UnknownOperation());
  }

  // One parser per thread, reused; one that grew for a large body is dropped afterwards so that
  // a burst of large requests does not pin memory in every thread.
  thread_local auto parser = std::make_unique<simdjson::dom::parser>();
  struct ParserTrim {
    std::unique_ptr<simdjson::dom::parser>& parser;
    ~ParserTrim() {
      if (parser->capacity() > kMaxRetainedParserBytes) {
        parser = std::make_unique<simdjson::dom::parser>();
      }
    }
  } trim{parser};
  simdjson::dom::element root;
  if (parser->parse(request.body).get(root) != simdjson::SUCCESS) {
    return ErrorResponse(
        ApiError::Serialization("Start of structure or map found where not expected."));
  }
  simdjson::dom::object object;
  if (root.get(object) != simdjson::SUCCESS) {
    return ErrorResponse(
        ApiError::Serialization("Start of structure or map found where not expected."));
  }

  OperationContext context{engine_, options_.service, now_ms, request.Header("host"), {}, false,
                           request_tokens_.get()};
  if (may_defer) {
    context.answer_later = [respond](ApiResult<std::string> body) {
      // Runs on the engine's commit thread, where nothing may escape.
      http::HttpResponse response;
      try {
        response = body.ok() ? JsonResponse(200, std::move(body).value())
                             : ErrorResponse(body.error());
      } catch (...) {
        response = ErrorResponse(ApiError::Internal("Internal server error"));
      }
      respond(std::move(response));
    };
  }
  std::string body;
  body.reserve(256);
  JsonWriter out(body);
  auto result = entry->run(context, ObjectReader(object), out);
  if (!result.ok()) {
    if (result.error().type != ErrorType::kSerialization) {
      if (auto malformed = FindMalformedBinary(root)) return ErrorResponse(*malformed);
    }
    return ErrorResponse(result.error());
  }
  if (context.deferred) return std::nullopt;
  return JsonResponse(200, std::move(body));
}

}  // namespace dunlin::api
