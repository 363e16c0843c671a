"""Arranges and inspects state in a moto server for the emulator suite, with boto3.

Started once per test file (see arrange.ts): reads one JSON request per line on stdin and
writes one JSON answer per line on stdout. Exits when stdin closes, so it never outlives
the test process. Requests:

  {"op": "organization", "members": ["member", ...]}
      create the organization (moto's default account 123456789012 is the management
      account) and one member account per name; answers {"management": id, name: id, ...}.
  {"op": "call", "account": ALIAS, "service": "logs", "method": "put_metric_filter",
   "region": "us-east-1", "args": {...}}
      one boto3 call in that account; answers the response without ResponseMetadata.
  {"op": "trail", "account": ALIAS, "region": ..., "name": ..., "logGroup": ...}
      a multi-region, logging trail recording read and write management events, delivering
      to that CloudWatch Logs log group (created when missing).

Member accounts are reached as tripwire reaches them: STS AssumeRole from the management
account into arn:aws:iam::<id>:role/OrganizationAccountAccessRole. moto keys its state by
the account of the access key, and keys from AssumeRole belong to the role's account.
"""

import datetime
import json
import sys

import boto3
import botocore.config
import botocore.exceptions

ENDPOINT = sys.argv[1]
MANAGEMENT_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
CONFIG = botocore.config.Config(retries={"max_attempts": 1})

accounts = {}
credentials = {}


def client(alias, service, region):
    if alias == "management":
        keys = MANAGEMENT_KEYS
    else:
        keys = credentials.get(alias)
        if keys is None:
            account_id = accounts[alias]
            sts = boto3.client("sts", endpoint_url=ENDPOINT, region_name=region, config=CONFIG, **MANAGEMENT_KEYS)
            c = sts.assume_role(
                RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
                RoleSessionName="emulator-arrange",
            )["Credentials"]
            keys = {
                "aws_access_key_id": c["AccessKeyId"],
                "aws_secret_access_key": c["SecretAccessKey"],
                "aws_session_token": c["SessionToken"],
            }
            credentials[alias] = keys
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=region, config=CONFIG, **keys)


def organization(request):
    accounts.clear()
    credentials.clear()
    org = client("management", "organizations", "us-east-1")
    accounts["management"] = org.create_organization(FeatureSet="ALL")["Organization"]["MasterAccountId"]
    for name in request.get("members", []):
        status = org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
        accounts[name] = status["AccountId"]
    return dict(accounts)


def call(request):
    c = client(request["account"], request["service"], request.get("region", "us-east-1"))
    out = getattr(c, request["method"])(**request.get("args", {}))
    out.pop("ResponseMetadata", None)
    return out


def trail(request):
    alias = request["account"]
    region = request.get("region", "us-east-1")
    name = request.get("name", "management-events")
    log_group = request["logGroup"]
    account_id = accounts[alias]
    logs = client(alias, "logs", region)
    if not logs.describe_log_groups(logGroupNamePrefix=log_group)["logGroups"]:
        logs.create_log_group(logGroupName=log_group)
    log_group_arn = next(
        g["arn"] for g in logs.describe_log_groups(logGroupNamePrefix=log_group)["logGroups"] if g["logGroupName"] == log_group
    )
    bucket = f"trail-{account_id}-{name}".lower()
    client(alias, "s3", region).create_bucket(Bucket=bucket)
    role_arn = client(alias, "iam", region).create_role(
        RoleName=f"{name}-to-cloudwatch-logs",
        AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        ),
    )["Role"]["Arn"]
    cloudtrail = client(alias, "cloudtrail", region)
    created = cloudtrail.create_trail(
        Name=name,
        S3BucketName=bucket,
        IsMultiRegionTrail=request.get("multiRegion", True),
        CloudWatchLogsLogGroupArn=log_group_arn,
        CloudWatchLogsRoleArn=role_arn,
    )
    # On AWS a new trail records read and write management events by default; moto's
    # GetEventSelectors answers an empty list until selectors are put, so they are put here.
    cloudtrail.put_event_selectors(
        TrailName=name, EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}]
    )
    if request.get("logging", True):
        cloudtrail.start_logging(Name=name)
    return {"trailArn": created["TrailARN"], "logGroupArn": log_group_arn}


OPS = {"organization": organization, "call": call, "trail": trail}


def to_json(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"cannot encode {type(value).__name__}")


def answer(request):
    try:
        return {"ok": OPS[request["op"]](request)}
    except botocore.exceptions.ClientError as e:
        error = e.response.get("Error", {})
        return {"error": f"{error.get('Code', 'ClientError')}: {error.get('Message', str(e))}"}
    except Exception as e:  # the test shows any other failure as the request's error
        return {"error": f"{type(e).__name__}: {e}"}


for line in sys.stdin:
    if line.strip():
        sys.stdout.write(json.dumps(answer(json.loads(line)), default=to_json) + "\n")
        sys.stdout.flush()
