"""SigV4 authentication with `dunlin serve --credentials FILE`.

DynamoDB Local accepts any signature, so these tests start their own Dunlin (from --dunlin-bin)
with a credentials file, and run only for --target=dunlin. Wording follows DynamoDB:
  wrong secret       400 InvalidSignatureException   "The request signature we calculated does
                     not match the signature you provided. Check your AWS Secret Access Key and
                     signing method. Consult the service documentation for details."
  unknown key id     400 UnrecognizedClientException "The security token included in the
                     request is invalid."
  no Authorization   400 MissingAuthenticationTokenException "Request is missing Authentication
                     Token" (DynamoDB Local says 400 MissingAuthenticationToken "Request must
                     contain either a valid (registered) AWS access key ID or X.509
                     certificate.")
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
"""

import datetime
import json
from unittest import mock

import pytest
import urllib3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import DunlinProcess, RawClient, make_client, unique_table_name
from expect import expect_error, expect_raw_error

pytestmark = pytest.mark.dunlin_only("DynamoDB Local does not verify signatures")

KEY_1 = ("AKIDAUTHTESTONE", "first-secret/with+chars")
KEY_2 = ("AKIDAUTHTESTTWO", "second-secret")
BAD_SIGNATURE = ("The request signature we calculated does not match the signature you "
                 "provided. Check your AWS Secret Access Key and signing method. Consult the "
                 "service documentation for details.")
UNKNOWN_KEY = "The security token included in the request is invalid."
MISSING_TOKEN = "Request is missing Authentication Token"


@pytest.fixture(scope="module")
def auth_endpoint(target, dunlin_bin, tmp_path_factory):
    if target != "dunlin":
        pytest.skip("needs --target=dunlin")
    base = tmp_path_factory.mktemp("dunlin-auth")
    credentials = base / "credentials"
    credentials.write_text(f"{KEY_1[0]} {KEY_1[1]}\n{KEY_2[0]} {KEY_2[1]}\n")
    server = DunlinProcess(dunlin_bin, str(base / "data"), credentials_file=str(credentials))
    server.start()
    try:
        yield server.endpoint
    finally:
        server.stop()


@pytest.fixture(scope="module")
def good(auth_endpoint):
    return make_client(auth_endpoint, *KEY_1)


@pytest.fixture(scope="module")
def auth_table(good):
    name = unique_table_name("auth")
    good.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                      AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                      KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    yield name
    good.delete_table(TableName=name)


def assert_not_written(good, table, key):
    assert "Item" not in good.get_item(TableName=table, Key={"pk": {"S": key}},
                                       ConsistentRead=True)


def test_correct_key_works(good, auth_table):
    good.put_item(TableName=auth_table, Item={"pk": {"S": "ok"}})
    assert good.get_item(TableName=auth_table, Key={"pk": {"S": "ok"}})["Item"] == {
        "pk": {"S": "ok"}}
    assert auth_table in good.list_tables()["TableNames"]


def test_every_key_in_the_file_works(auth_endpoint, auth_table):
    other = make_client(auth_endpoint, *KEY_2)
    assert auth_table in other.list_tables()["TableNames"]


def test_wrong_secret(auth_endpoint, good, auth_table):
    bad = make_client(auth_endpoint, KEY_1[0], "not-the-secret")
    expect_error(bad.list_tables, "InvalidSignatureException", BAD_SIGNATURE)
    expect_error(bad.put_item, "InvalidSignatureException", BAD_SIGNATURE,
                 TableName=auth_table, Item={"pk": {"S": "wrong-secret"}})
    assert_not_written(good, auth_table, "wrong-secret")


def test_secret_of_another_key(auth_endpoint):
    bad = make_client(auth_endpoint, KEY_1[0], KEY_2[1])
    expect_error(bad.list_tables, "InvalidSignatureException", BAD_SIGNATURE)


def test_unknown_access_key(auth_endpoint, good, auth_table):
    bad = make_client(auth_endpoint, "AKIDNOSUCHKEY", KEY_1[1])
    expect_error(bad.list_tables, "UnrecognizedClientException", UNKNOWN_KEY)
    expect_error(bad.put_item, "UnrecognizedClientException", UNKNOWN_KEY,
                 TableName=auth_table, Item={"pk": {"S": "unknown-key"}})
    assert_not_written(good, auth_table, "unknown-key")


def test_missing_authorization(auth_endpoint, good, auth_table):
    raw = RawClient(auth_endpoint)
    expect_raw_error(raw.request("ListTables", {}, sign=False), 400,
                     "MissingAuthenticationTokenException", MISSING_TOKEN)
    response = raw.request("PutItem", {"TableName": auth_table,
                                       "Item": {"pk": {"S": "unsigned"}}}, sign=False)
    expect_raw_error(response, 400, "MissingAuthenticationTokenException", MISSING_TOKEN)
    assert_not_written(good, auth_table, "unsigned")


def test_body_changed_after_signing(auth_endpoint, good, auth_table):
    """The signature covers the payload hash: a body swapped after signing is rejected."""
    signed_body = json.dumps({"TableName": auth_table, "Item": {"pk": {"S": "signed"}}})
    sent_body = json.dumps({"TableName": auth_table, "Item": {"pk": {"S": "tampered"}}})
    request = AWSRequest(method="POST", url=auth_endpoint + "/", data=signed_body.encode(),
                         headers={"Content-Type": "application/x-amz-json-1.0",
                                  "X-Amz-Target": "DynamoDB_20120810.PutItem"})
    SigV4Auth(Credentials(*KEY_1), "dynamodb", "us-east-1").add_auth(request)
    headers = dict(request.headers.items())
    headers.pop("Content-Length", None)
    response = urllib3.PoolManager(retries=False).request(
        "POST", auth_endpoint + "/", body=sent_body.encode(), headers=headers)
    assert response.status == 400
    assert json.loads(response.data)["__type"].endswith("#InvalidSignatureException")
    assert_not_written(good, auth_table, "tampered")
    assert_not_written(good, auth_table, "signed")


def test_garbage_authorization_header(auth_endpoint, good, auth_table):
    raw = RawClient(auth_endpoint)
    response = raw.request("PutItem", {"TableName": auth_table,
                                       "Item": {"pk": {"S": "garbage-auth"}}},
                           sign=False, headers={"Authorization": "garbage"})
    assert response.status in (400, 403), response
    assert response.error_type in ("IncompleteSignatureException", "InvalidSignatureException",
                                   "MissingAuthenticationTokenException"), response
    assert_not_written(good, auth_table, "garbage-auth")


def _signed_request(auth_endpoint, body, region="us-east-1", service="dynamodb", skew=None):
    """Signs a ListTables-style request with botocore, optionally for another region/service
    or with the clock moved by `skew` (a timedelta)."""
    request = AWSRequest(method="POST", url=auth_endpoint + "/", data=json.dumps(body).encode(),
                         headers={"Content-Type": "application/x-amz-json-1.0",
                                  "X-Amz-Target": "DynamoDB_20120810.PutItem"})
    signer = SigV4Auth(Credentials(*KEY_1), service, region)
    if skew is None:
        signer.add_auth(request)
    else:
        with mock.patch("botocore.auth.datetime") as fake:
            fake.datetime.utcnow.return_value = datetime.datetime.utcnow() + skew
            signer.add_auth(request)
    headers = dict(request.headers.items())
    response = urllib3.PoolManager(retries=False).request(
        "POST", auth_endpoint + "/", body=request.body, headers=headers)
    return response.status, json.loads(response.data)


@pytest.mark.parametrize("skew_minutes", [-20, 20])
def test_signature_outside_clock_skew(auth_endpoint, good, auth_table, skew_minutes):
    """AWS rejects signatures more than 15 minutes away from its clock."""
    key = f"skewed{skew_minutes}"
    status, body = _signed_request(
        auth_endpoint, {"TableName": auth_table, "Item": {"pk": {"S": key}}},
        skew=datetime.timedelta(minutes=skew_minutes))
    assert status == 400
    assert body["__type"].endswith("#InvalidSignatureException"), body
    assert "Signature" in body["message"], body
    assert_not_written(good, auth_table, key)


def test_signature_within_clock_skew(auth_endpoint, good, auth_table):
    status, body = _signed_request(
        auth_endpoint, {"TableName": auth_table, "Item": {"pk": {"S": "slightly-skewed"}}},
        skew=datetime.timedelta(minutes=4))
    assert status == 200, body


@pytest.mark.parametrize("region,service", [("eu-west-1", "dynamodb"), ("us-east-1", "s3")])
def test_signature_scoped_elsewhere(auth_endpoint, good, auth_table, region, service):
    key = f"scoped-{region}-{service}"
    status, body = _signed_request(
        auth_endpoint, {"TableName": auth_table, "Item": {"pk": {"S": key}}},
        region=region, service=service)
    assert status == 400
    assert body["__type"].endswith("#InvalidSignatureException"), body
    assert_not_written(good, auth_table, key)
