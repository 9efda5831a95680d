"""Reads a table's DynamoDB stream (from moto) and prints it as the event Lambda delivers.

Usage: stream_event.py ENDPOINT TABLE
The records are the stream's own (GetRecords); Lambda adds eventSourceARN and sends the
creation time as epoch seconds, which this does too.
"""
import json
import sys

import boto3

endpoint, table = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=endpoint, region_name="eu-west-1",
          aws_access_key_id="testing", aws_secret_access_key="testing")
ddb = boto3.client("dynamodb", **kw)
streams = boto3.client("dynamodbstreams", **kw)

arn = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
records = []
for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    for r in streams.get_records(ShardIterator=it)["Records"]:
        d = r["dynamodb"]
        if "ApproximateCreationDateTime" in d:
            d["ApproximateCreationDateTime"] = d["ApproximateCreationDateTime"].timestamp()
        r["eventSourceARN"] = arn
        records.append(r)
json.dump({"Records": records}, sys.stdout)
