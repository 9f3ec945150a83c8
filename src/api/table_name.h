// A TableName member that may hold the table's ARN instead of its name.
//
// DynamoDB accepts either in TableName (1..1024 characters: a name, or
// "arn:aws:dynamodb:<region>:<account>:table/<name>"); the operations that take an ARN read
// the member through ReadTableNameOrArn. The rules follow DynamoDB Local, which checks the
// ARN's shape with one message and then the name in it as any table name:
//   1. a value starting with "arn:" is an ARN; anything else is a table name
//      (ValidateTableName);
//   2. an ARN has exactly six ':'-separated fields: "arn", the partition "aws", the service
//      "dynamodb", a region, an account and "table/<name>"; otherwise "Valid ARN format is
//      ..." (kInvalidArnMessage);
//   3. <name> must be a valid table name (so ".../table/t/index/i" is an invalid name);
//   4. the region and account must be this server's (ServiceConfig): a table of another
//      region or account is not one this server holds, so ResourceNotFoundException.
//      DynamoDB Local ignores both fields.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTimeToLive.html
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "api/operation.h"

namespace dunlin::api {

// DynamoDB's message for a value that starts with "arn:" but is not a table ARN (its typo
// "satisfyregular" included).
inline constexpr std::string_view kInvalidArnMessage =
    "Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/"
    "resourceName', where Resource name must have length less than or equal to 255, Resource "
    "name must have length greater than or equal to 3, Resource name must satisfyregular "
    "expression pattern: [a-zA-Z0-9_.-]+";

// The table name that `value` (a TableName member's value) designates, by the rules above:
// ValidationException for a malformed ARN or an invalid name, ResourceNotFoundException for an
// ARN of another region or account. Whether the table exists is not checked.
ApiResult<std::string> ResolveTableNameOrArn(std::string_view value, const ServiceConfig& config);

// Reads the request's TableName (missing or null: DynamoDB's "Value null at 'tableName'"
// message; not a string: SerializationException) and resolves it as above.
ApiResult<std::string> ReadTableNameOrArn(const ObjectReader& request, const ServiceConfig& config);

}  // namespace dunlin::api
