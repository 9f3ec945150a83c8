"""Wire protocol: headers, framing errors, operation dispatch, parameter typing.

Where DynamoDB Local answers a malformed request with 500 InternalFailure (a local artefact:
DynamoDB itself rejects such requests as the client's fault with 400 SerializationException,
see the Common Errors page of the API reference), the ddblocal run pins the local answer and
the dunlin run expects DynamoDB's. docs/notes-oracle-errors.md lists each case.
"""

import urllib.request
import uuid
import zlib

import pytest

from expect import (INTERNAL_FAILURE, INVALID_TABLE_NAME, TABLE_NAME_NULL, TABLE_NOT_FOUND,
                    expect_raw_error)

JSON_CONTENT_TYPE = "application/x-amz-json-1.0"


def expect_client_fault(response, target):
    """A request the server cannot parse: 500 InternalFailure on DynamoDB Local, 400
    SerializationException on DynamoDB (and so on Dunlin)."""
    if target == "ddblocal":
        expect_raw_error(response, 500, "InternalFailure", INTERNAL_FAILURE)
    else:
        expect_raw_error(response, 400, "SerializationException")


# --- Response headers ----------------------------------------------------------------------

def test_success_headers(raw):
    response = raw.request("ListTables", {"Limit": 1})
    assert response.status == 200
    assert response.headers["content-type"] == JSON_CONTENT_TYPE
    assert response.headers.get("x-amzn-requestid")
    assert int(response.headers["x-amz-crc32"]) == zlib.crc32(response.data)
    assert int(response.headers["content-length"]) == len(response.data)


def test_crc32_matches_body_of_item_response(raw, table):
    item = {"pk": {"S": "crc"}, "text": {"S": "h\u00e9llo \u2603 " * 50}, "n": {"N": "12.5"}}
    assert raw.request("PutItem", {"TableName": table, "Item": item}).status == 200
    response = raw.request("GetItem", {"TableName": table, "Key": {"pk": {"S": "crc"}}})
    assert response.status == 200
    assert response.body == {"Item": item}
    assert int(response.headers["x-amz-crc32"]) == zlib.crc32(response.data)


def test_request_ids_are_unique(raw):
    ids = {raw.request("ListTables", {}).headers["x-amzn-requestid"] for _ in range(5)}
    assert len(ids) == 5


def test_error_response_headers(raw):
    response = raw.request("DescribeTable", {"TableName": "missing-" + uuid.uuid4().hex})
    expect_raw_error(response, 400, "ResourceNotFoundException", TABLE_NOT_FOUND,
                     full_type="com.amazonaws.dynamodb.v20120810#ResourceNotFoundException")
    assert response.headers["content-type"] == JSON_CONTENT_TYPE
    assert response.headers.get("x-amzn-requestid")
    # DynamoDB Local sends no checksum on errors; when one is sent it must be right.
    if "x-amz-crc32" in response.headers:
        assert int(response.headers["x-amz-crc32"]) == zlib.crc32(response.data)


def test_validation_error_type_namespace(raw):
    response = raw.request("DescribeTable", {})
    expect_raw_error(response, 400, "ValidationException", TABLE_NAME_NULL,
                     full_type="com.amazon.coral.validate#ValidationException")


# --- Framing ---------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "{bad", "", "[]", "null", '"ListTables"', '{"Limit": 1'],
    ids=["garbage", "empty", "array", "null", "string", "truncated"])
def test_malformed_json(raw, target, body):
    expect_client_fault(raw.request("ListTables", body), target)


def test_malformed_json_on_write(raw, target, table):
    response = raw.request("PutItem", '{"TableName": "%s", "Item": {"pk": {"S": "a"}' % table)
    expect_client_fault(response, target)


def test_unknown_fields_are_ignored(raw):
    response = raw.request("ListTables", {"Limit": 1, "NoSuchParameter": True})
    assert response.status == 200
    assert "TableNames" in response.body


# --- Dispatch --------------------------------------------------------------------------------

@pytest.mark.parametrize("operation", ["NoSuchOperation", "listtables", "LISTTABLES"])
def test_unknown_operation(raw, operation):
    response = raw.request(operation, {})
    expect_raw_error(response, 400, "UnknownOperationException",
                     "An unknown operation was requested.")


def test_wrong_target_prefix(raw):
    response = raw.request(None, {}, headers={"X-Amz-Target": "Foo_20120810.ListTables"})
    expect_raw_error(response, 400, "InvalidAction",
                     "The action or operation requested is invalid. Verify that the action is "
                     "typed correctly.")


@pytest.mark.parametrize("header", [None, "DynamoDB_20120810."], ids=["absent", "no-operation"])
def test_missing_target_header(raw, target, header):
    response = raw.request(None, {}, headers={"X-Amz-Target": header})
    if target == "ddblocal":
        expect_raw_error(response, 500, "InternalFailure", INTERNAL_FAILURE)
    else:
        expect_raw_error(response, 400, "UnknownOperationException")


# --- Parameters ------------------------------------------------------------------------------

@pytest.mark.parametrize("operation", [
    "DescribeTable", "DeleteTable", "UpdateTable", "PutItem", "GetItem", "DeleteItem", "Scan"])
def test_missing_table_name(raw, operation):
    expect_raw_error(raw.request(operation, {}), 400, "ValidationException", TABLE_NAME_NULL)


def test_create_table_without_table_name(raw):
    response = raw.request("CreateTable", {
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST"})
    expect_raw_error(response, 400, "ValidationException", INVALID_TABLE_NAME)


def test_table_name_of_wrong_type(raw, target):
    response = raw.request("DescribeTable", {"TableName": 5})
    if target == "ddblocal" or response.error_type == "ValidationException":
        # DynamoDB Local reads the number as the one-character name "5".
        expect_raw_error(response, 400, "ValidationException", INVALID_TABLE_NAME)
    else:
        expect_raw_error(response, 400, "SerializationException")


@pytest.mark.parametrize("value", ["x", True, [1], {"a": 1}], ids=["string", "bool", "list",
                                                                   "object"])
def test_limit_of_wrong_type(raw, target, value):
    expect_client_fault(raw.request("ListTables", {"Limit": value}), target)


@pytest.mark.parametrize("value", [["abc"], {"a": 1}], ids=["list", "object"])
def test_table_name_of_structured_type(raw, target, value):
    expect_client_fault(raw.request("DescribeTable", {"TableName": value}), target)


def test_item_of_wrong_type(raw, target, table):
    expect_client_fault(raw.request("PutItem", {"TableName": table, "Item": "x"}), target)


def test_attribute_value_of_wrong_type(raw, target, table):
    response = raw.request("PutItem", {"TableName": table, "Item": {"pk": "x"}})
    expect_client_fault(response, target)


@pytest.mark.dunlin_only("DynamoDB Local answers GET / with 400 MissingAuthenticationToken")
def test_health_check(endpoint):
    with urllib.request.urlopen(endpoint + "/", timeout=5) as response:
        assert response.status == 200
