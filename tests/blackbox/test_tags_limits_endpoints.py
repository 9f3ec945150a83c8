"""TagResource / UntagResource / ListTagsOfResource, DescribeLimits, DescribeEndpoints.

DynamoDB Local answers every tagging call with 400 UnknownOperationException "Tagging is not
currently supported in DynamoDB Local." and DescribeEndpoints with UnknownOperationException, so
those tests follow the API reference and run against Dunlin only:
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UntagResource.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeEndpoints.html
"""

import pytest

from expect import client_error

TAGGING = "DynamoDB Local does not support tagging"


def table_arn(ddb, name):
    return ddb.describe_table(TableName=name)["Table"]["TableArn"]


def tags_of(ddb, arn):
    response = ddb.list_tags_of_resource(ResourceArn=arn)
    assert "NextToken" not in response
    return {tag["Key"]: tag["Value"] for tag in response["Tags"]}


@pytest.mark.dunlin_only(TAGGING)
def test_new_table_has_no_tags(ddb, table):
    assert tags_of(ddb, table_arn(ddb, table)) == {}


@pytest.mark.dunlin_only(TAGGING)
def test_tag_list_untag(ddb, table):
    arn = table_arn(ddb, table)
    response = ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"},
                                                       {"Key": "a", "Value": "1"}])
    response.pop("ResponseMetadata")
    assert response == {}
    assert tags_of(ddb, arn) == {"a": "1", "b": "2"}

    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "9"},
                                            {"Key": "c", "Value": ""}])
    assert tags_of(ddb, arn) == {"a": "9", "b": "2", "c": ""}

    response = ddb.untag_resource(ResourceArn=arn, TagKeys=["a", "not-there"])
    response.pop("ResponseMetadata")
    assert response == {}
    assert tags_of(ddb, arn) == {"b": "2", "c": ""}


@pytest.mark.dunlin_only(TAGGING)
def test_tags_from_create_table(ddb, table_factory):
    name = table_factory(Tags=[{"Key": "team", "Value": "storage"},
                               {"Key": "env", "Value": "test"}])
    assert tags_of(ddb, table_arn(ddb, name)) == {"team": "storage", "env": "test"}


@pytest.mark.dunlin_only(TAGGING)
def test_tags_go_with_the_table(ddb, table_factory):
    name = table_factory(Tags=[{"Key": "k", "Value": "v"}])
    arn = table_arn(ddb, name)
    ddb.delete_table(TableName=name)
    table_factory(name=name)
    assert tags_of(ddb, table_arn(ddb, name)) == {}
    assert table_arn(ddb, name) == arn


@pytest.mark.dunlin_only(TAGGING)
@pytest.mark.parametrize("operation,args", [
    ("list_tags_of_resource", {}),
    ("tag_resource", {"Tags": [{"Key": "k", "Value": "v"}]}),
    ("untag_resource", {"TagKeys": ["k"]}),
])
def test_tagging_missing_table(ddb, table, operation, args):
    arn = table_arn(ddb, table)[:-len(table)] + "no-such-table-for-tags"
    response = client_error(getattr(ddb, operation), ResourceArn=arn, **args)
    assert response["Error"]["Code"] == "ResourceNotFoundException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.dunlin_only(TAGGING)
def test_tag_resource_needs_tags(ddb, table):
    response = client_error(ddb.tag_resource, ResourceArn=table_arn(ddb, table), Tags=[])
    assert response["Error"]["Code"] == "ValidationException"


def test_describe_limits(ddb):
    response = ddb.describe_limits()
    response.pop("ResponseMetadata")
    assert response == {"AccountMaxReadCapacityUnits": 80000,
                        "AccountMaxWriteCapacityUnits": 80000,
                        "TableMaxReadCapacityUnits": 40000,
                        "TableMaxWriteCapacityUnits": 40000}


@pytest.mark.dunlin_only("DynamoDB Local answers DescribeEndpoints with UnknownOperationException")
def test_describe_endpoints(ddb):
    response = ddb.describe_endpoints()
    endpoints = response["Endpoints"]
    assert len(endpoints) == 1
    assert isinstance(endpoints[0]["Address"], str) and endpoints[0]["Address"]
    assert endpoints[0]["CachePeriodInMinutes"] == 1440
