"""Assertions on DynamoDB errors, shared by the black-box tests.

Error tests check the HTTP status, the error code (the part of __type after '#') and the
message: exactly when `message` is given, or that it contains `contains`.
"""

import botocore.exceptions
import pytest


def client_error(call, **kwargs):
    """Runs call(**kwargs), which must fail with a service error; returns the botocore
    ClientError's response dict."""
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**kwargs)
    return info.value.response


def expect_error(call, code, message=None, contains=None, status=400, **kwargs):
    """Runs call(**kwargs) and asserts it fails with `code`, HTTP `status` and the message."""
    response = client_error(call, **kwargs)
    error = response["Error"]
    assert (response["ResponseMetadata"]["HTTPStatusCode"], error["Code"]) == (status, code), \
        error
    if message is not None:
        assert error["Message"] == message, (error["Message"], message)
    if contains is not None:
        assert contains in error["Message"], error["Message"]
    return error["Message"]


def expect_validation(call, message=None, contains=None, **kwargs):
    return expect_error(call, "ValidationException", message=message, contains=contains,
                        **kwargs)


def expect_raw_error(response, status, code, message=None, contains=None, full_type=None):
    """Asserts a RawResponse is an error with this status and code (and __type, message)."""
    assert (response.status, response.error_type) == (status, code), response
    if full_type is not None:
        assert response.body["__type"] == full_type
    if message is not None:
        assert response.message == message, (response.message, message)
    if contains is not None:
        assert contains in (response.message or ""), response


# Messages DynamoDB gives, verified against DynamoDB Local (see docs/notes-oracle-errors.md).
TABLE_NOT_FOUND = "Cannot do operations on a non-existent table"
INVALID_TABLE_NAME = ("Invalid table/index name.  Table/index names must be between 3 and 255 "
                      "characters long, and may contain only the characters a-z, A-Z, 0-9, "
                      "'_', '-', and '.'")
KEY_TOO_LONG = ("Hash primary key values must be under 2048 bytes, and range primary key "
                "values must be under 1024 bytes")
ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size"
NOT_A_NUMBER = "A value provided cannot be converted into a number"
KEY_TYPE_MISMATCH = "One or more parameter values were invalid: Type mismatch for key"
KEY_CONDITIONS_INVALID = "The number of conditions on the keys is invalid"
RETURN_VALUES_INVALID = "Return values set to invalid value"
TABLE_NAME_NULL = "Value null at 'tableName' failed to satisfy constraint: Member must not be null"
INTERNAL_FAILURE = ("The request processing has failed because of an unknown error, exception "
                    "or failure.")
