"""Reading DynamoDB Streams in the black-box tests: raw Streams requests, shard listing,
iterators, whole-stream reads, and short summaries of records.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html (#Streams.Processing)
A reader lists the shards (DescribeStream, paged by LastEvaluatedShardId), takes an iterator
per shard and calls GetRecords with each NextShardIterator. DynamoDB Local and Dunlin make
records readable as soon as the write returns, so a read stops at the first empty page.
"""

STREAMS_TARGET_PREFIX = "DynamoDBStreams_20120810."


def stream_request(raw, operation, body):
    """A raw Streams API request (X-Amz-Target DynamoDBStreams_20120810.<operation>)."""
    return raw.request(operation, body,
                       headers={"X-Amz-Target": STREAMS_TARGET_PREFIX + operation})


def key(pk):
    return {"pk": {"S": pk}}


def enabled(view_type):
    return {"StreamEnabled": True, "StreamViewType": view_type}


def shards(streams, arn):
    """Every shard of the stream, following LastEvaluatedShardId."""
    result, start = [], None
    while True:
        args = {"StreamArn": arn}
        if start:
            args["ExclusiveStartShardId"] = start
        description = streams.describe_stream(**args)["StreamDescription"]
        result += description["Shards"]
        start = description.get("LastEvaluatedShardId")
        if not start:
            return result


def iterator(streams, arn, shard_id, kind="TRIM_HORIZON", sequence=None):
    args = {"StreamArn": arn, "ShardId": shard_id, "ShardIteratorType": kind}
    if sequence is not None:
        args["SequenceNumber"] = sequence
    return streams.get_shard_iterator(**args)["ShardIterator"]


def read(streams, shard_iterator, limit=None):
    """Records from the iterator on, page after page, until a page is empty or the shard ends."""
    records = []
    while shard_iterator:
        args = {"ShardIterator": shard_iterator}
        if limit:
            args["Limit"] = limit
        page = streams.get_records(**args)
        records += page["Records"]
        shard_iterator = page.get("NextShardIterator")
        if not page["Records"]:
            break
    return records


def read_stream(streams, arn):
    """Every record of the stream, shard after shard from TRIM_HORIZON."""
    records = []
    for shard in shards(streams, arn):
        records += read(streams, iterator(streams, arn, shard["ShardId"]))
    return records


def events(records):
    """(eventName, pk) of each record."""
    return [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records]


def images(records):
    """(eventName, pk, OldImage, NewImage) of each record (None where absent)."""
    return [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"], r["dynamodb"].get("OldImage"),
             r["dynamodb"].get("NewImage")) for r in records]


def sequence_numbers(records):
    return [r["dynamodb"]["SequenceNumber"] for r in records]


def make_stream_table(ddb, table_factory, view_type="NEW_AND_OLD_IMAGES", **create_args):
    """Creates a table keyed by pk (S) (or as create_args say) with a stream of view_type;
    returns (table name, stream ARN)."""
    name = table_factory(StreamSpecification=enabled(view_type), **create_args)
    return name, ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
