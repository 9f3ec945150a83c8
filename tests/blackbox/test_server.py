"""The server around the API: request bodies, limits and start-up rules of `dunlin serve`.

These are Dunlin's own (DynamoDB Local ignores Content-Encoding and has no such flags), so they
run only for --target=dunlin.
"""

import gzip
import json
import subprocess

import pytest

from conftest import RawClient

pytestmark = pytest.mark.dunlin_only("server behaviour of dunlin serve itself")


def test_gzip_request_body(raw, table):
    item = {"pk": {"S": "zipped"}, "text": {"S": "x" * 5000}}
    body = gzip.compress(json.dumps({"TableName": table, "Item": item}).encode())
    response = raw.request("PutItem", body, headers={"Content-Encoding": "gzip"})
    assert response.status == 200, response
    got = raw.request("GetItem", {"TableName": table, "Key": {"pk": {"S": "zipped"}}})
    assert got.body["Item"] == item


def test_corrupt_gzip_body(raw, table):
    response = raw.request("ListTables", b"\x1f\x8bnot gzip at all",
                           headers={"Content-Encoding": "gzip"})
    assert response.status == 400
    assert response.error_type == "SerializationException", response


def test_body_over_16_mb_is_refused(endpoint, table):
    client = RawClient(endpoint)
    huge = json.dumps({"TableName": table,
                       "Item": {"pk": {"S": "huge"}, "v": {"S": "x" * (16 * 1024 * 1024)}}})
    response = client.request("PutItem", huge)
    assert response.status == 413, response
    assert response.body["__type"].endswith("#RequestEntityTooLarge"), response
    assert "16777216" in response.message
    # The server goes on serving, and nothing was written.
    fresh = RawClient(endpoint)
    got = fresh.request("GetItem", {"TableName": table, "Key": {"pk": {"S": "huge"}}})
    assert got.status == 200 and "Item" not in got.body


def test_refuses_non_loopback_without_credentials(dunlin_bin, tmp_path):
    result = subprocess.run(
        [dunlin_bin, "serve", "--listen", "0.0.0.0:0", "--data-dir", str(tmp_path / "data")],
        capture_output=True, timeout=30)
    assert result.returncode == 2
    assert b"without --credentials" in result.stdout + result.stderr


def test_rejects_malformed_listen_address(dunlin_bin, tmp_path):
    result = subprocess.run(
        [dunlin_bin, "serve", "--listen", "127.0.0.1", "--data-dir", str(tmp_path / "data")],
        capture_output=True, timeout=30)
    assert result.returncode == 2
    assert b"HOST:PORT" in result.stdout + result.stderr
