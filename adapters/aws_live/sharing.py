"""AMI launch permissions and RDS snapshot sharing -> transfer facts (the account's own images and
manual DB snapshots; EBS snapshot sharing is read by the ec2 scanner)."""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from adapters.aws_live.data_paths import data_path_facts
from adapters.aws_live.ec2 import share_transfers
from residency.model import Fact, Vector
from residency.rule_ids import TRANSFER_DATA_PATH, transfer_rule_id

EC2_PERMISSIONS = {"DescribeImages": "ec2:DescribeImages", "DescribeImageAttribute": "ec2:DescribeImageAttribute"}
RDS_PERMISSIONS = {
    "DescribeDBSnapshots": "rds:DescribeDBSnapshots",
    "DescribeDBSnapshotAttributes": "rds:DescribeDBSnapshotAttributes",
}
IMAGE = "AWS::EC2::Image"
EBS_SHARE = transfer_rule_id(Vector.EBS_SNAPSHOT_SHARE)


def _items(api: Api) -> list[Any]:
    images = api.items(
        "describe_images",
        "Images",
        rule=EBS_SHARE,
        resource=api.arn("ec2", "image/*"),
        Owners=["self"],
    )
    rds = api.using("rds")
    snapshots = rds.items(
        "describe_db_snapshots",
        "DBSnapshots",
        rule=TRANSFER_DATA_PATH,
        resource=rds.arn("rds", "snapshot:*"),
        SnapshotType="manual",
    )
    return [("image", i["ImageId"]) for i in images or []] + [("snapshot", s) for s in snapshots or []]


def _item(api: Api, item: Any) -> list[Fact]:
    kind, value = item
    if kind == "image":
        return _image(api, value)
    rds = api.using("rds")
    arn = value.get("DBSnapshotArn") or rds.arn("rds", f"snapshot:{value['DBSnapshotIdentifier']}")
    answer = rds.call(
        "describe_db_snapshot_attributes",
        rule=TRANSFER_DATA_PATH,
        resource=arn,
        DBSnapshotIdentifier=value["DBSnapshotIdentifier"],
    )
    attributes = (answer or {}).get("DBSnapshotAttributesResult", {}).get("DBSnapshotAttributes", [])
    shared = [v for a in attributes if a.get("AttributeName") == "restore" for v in a.get("AttributeValues", [])]
    return data_path_facts(rds, arn, "aws:rds/snapshot:Snapshot", {"sharedAccounts": shared})


def _image(api: Api, image_id: str) -> list[Fact]:
    arn = f"arn:aws:ec2:{api.region}::image/{image_id}"
    answer = api.call(
        "describe_image_attribute",
        rule=EBS_SHARE,
        resource=arn,
        ImageId=image_id,
        Attribute="launchPermission",
    )
    return share_transfers((answer or {}).get("LaunchPermissions", []), arn, IMAGE, api.region, "image")


SCANNER = ServiceScanner(
    name="sharing",
    client_name="ec2",
    permissions=EC2_PERMISSIONS,
    discover=_items,
    inspect=_item,
    discovery_rule=EBS_SHARE,
    other_clients={"rds": RDS_PERMISSIONS},
)
