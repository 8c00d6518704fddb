"""Pulumi AWS type tokens -> Terraform resource types.

pulumi-aws is bridged from the Terraform AWS provider, so nearly every token follows one rule:
``aws:<module>/<member>:<Name>`` -> ``aws_<module>_<snake(Name)>``, where a few modules use another Terraform
prefix (``ec2`` resources have none: ``aws:ec2/vpc:Vpc`` -> ``aws_vpc``). The rest are listed in
``IRREGULAR``. Both tables were checked against pulumi-aws's own rename table
(provider/cmd/pulumi-resource-aws/bridge-metadata.json, ``renames.resources``) and pulumi-aws v7's S3 names
(``aws:s3/bucket:Bucket`` is ``aws_s3_bucket`` since v7; the ``...V2`` spellings are deprecated aliases).
"""

from __future__ import annotations

import re

# Modules whose Terraform prefix is not ``<module>_``.
MODULE_PREFIX: dict[str, str] = {
    "ec2": "",
    "cfg": "config_",
    "amp": "prometheus_",
    "apigateway": "api_gateway_",
    "cloudcontrol": "cloudcontrolapi_",
    "cloudhsmv2": "cloudhsm_v2_",
    "costexplorer": "ce_",
    "directconnect": "dx_",
    "directoryservice": "directory_service_",
    "ec2clientvpn": "ec2_client_vpn_",
    "ec2transitgateway": "ec2_transit_gateway_",
    "elasticbeanstalk": "elastic_beanstalk_",
    "mediaconvert": "media_convert_",
    "mediapackage": "media_package_",
    "mediastore": "media_store_",
    "resourceexplorer": "resourceexplorer2_",
    "route53recoverycontrol": "route53recoverycontrolconfig_",
    "serverlessrepository": "serverlessapplicationrepository_",
    "servicediscovery": "service_discovery_",
}

# Tokens the rule above gets wrong (Terraform names that drop or reorder words).
IRREGULAR: dict[str, str] = {
    "aws:alb/loadBalancer:LoadBalancer": "aws_alb",
    "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
    "aws:elb/loadBalancer:LoadBalancer": "aws_elb",
    "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
    "aws:codepipeline/pipeline:Pipeline": "aws_codepipeline",
    "aws:cfg/rule:Rule": "aws_config_config_rule",
    "aws:cfg/recorder:Recorder": "aws_config_configuration_recorder",
    "aws:cfg/recorderStatus:RecorderStatus": "aws_config_configuration_recorder_status",
    "aws:codedeploy/application:Application": "aws_codedeploy_app",
    "aws:apigateway/response:Response": "aws_api_gateway_gateway_response",
    "aws:appsync/dataSource:DataSource": "aws_appsync_datasource",
    "aws:appsync/graphQLApi:GraphQLApi": "aws_appsync_graphql_api",
    "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": "aws_cognito_identity_pool_roles_attachment",
    "aws:ec2/availabilityZoneGroup:AvailabilityZoneGroup": "aws_ec2_availability_zone_group",
    "aws:ec2/capacityReservation:CapacityReservation": "aws_ec2_capacity_reservation",
    "aws:ec2/carrierGateway:CarrierGateway": "aws_ec2_carrier_gateway",
    "aws:ec2/dedicatedHost:DedicatedHost": "aws_ec2_host",
    "aws:ec2/fleet:Fleet": "aws_ec2_fleet",
    "aws:ec2/managedPrefixList:ManagedPrefixList": "aws_ec2_managed_prefix_list",
    "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry": "aws_ec2_managed_prefix_list_entry",
    "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment": (
        "aws_network_interface_sg_attachment"
    ),
    "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions": "aws_vpc_peering_connection_options",
    "aws:ec2/securityGroupAssociation:SecurityGroupAssociation": "aws_vpc_endpoint_security_group_association",
    "aws:ec2/serialConsoleAccess:SerialConsoleAccess": "aws_ec2_serial_console_access",
    "aws:ec2/subnetCidrReservation:SubnetCidrReservation": "aws_ec2_subnet_cidr_reservation",
    "aws:ec2/tag:Tag": "aws_ec2_tag",
    "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple": (
        "aws_vpc_endpoint_service_allowed_principal"
    ),
    "aws:ec2transitgateway/transitGateway:TransitGateway": "aws_ec2_transit_gateway",
    "aws:ec2transitgateway/instanceState:InstanceState": "aws_ec2_instance_state",
    "aws:guardduty/iPSet:IPSet": "aws_guardduty_ipset",
    "aws:guardduty/threatIntelSet:ThreatIntelSet": "aws_guardduty_threatintelset",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
    "aws:iam/sshKey:SshKey": "aws_iam_user_ssh_key",
    "aws:rds/clusterSnapshot:ClusterSnapshot": "aws_db_cluster_snapshot",
    "aws:rds/eventSubscription:EventSubscription": "aws_db_event_subscription",
    "aws:rds/instance:Instance": "aws_db_instance",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": (
        "aws_db_instance_automated_backups_replication"
    ),
    "aws:rds/optionGroup:OptionGroup": "aws_db_option_group",
    "aws:rds/parameterGroup:ParameterGroup": "aws_db_parameter_group",
    "aws:rds/proxy:Proxy": "aws_db_proxy",
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": "aws_db_proxy_default_target_group",
    "aws:rds/proxyEndpoint:ProxyEndpoint": "aws_db_proxy_endpoint",
    "aws:rds/proxyTarget:ProxyTarget": "aws_db_proxy_target",
    "aws:rds/roleAssociation:RoleAssociation": "aws_db_instance_role_association",
    "aws:rds/securityGroup:SecurityGroup": "aws_db_security_group",
    "aws:rds/snapshot:Snapshot": "aws_db_snapshot",
    "aws:rds/snapshotCopy:SnapshotCopy": "aws_db_snapshot_copy",
    "aws:rds/subnetGroup:SubnetGroup": "aws_db_subnet_group",
    "aws:s3/analyticsConfiguration:AnalyticsConfiguration": "aws_s3_bucket_analytics_configuration",
    "aws:s3/bucketObjectv2:BucketObjectv2": "aws_s3_object",
    "aws:s3/inventory:Inventory": "aws_s3_bucket_inventory",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
    "aws:s3/bucketAcl:BucketAcl": "aws_s3_bucket_acl",
    "aws:s3/bucketAclV2:BucketAclV2": "aws_s3_bucket_acl",
    "aws:ses/mailFrom:MailFrom": "aws_ses_domain_mail_from",
    "aws:sns/dataProtectionPolicy:DataProtectionPolicy": "aws_sns_topic_data_protection_policy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "aws_sqs_queue_redrive_allow_policy",
    "aws:sqs/redrivePolicy:RedrivePolicy": "aws_sqs_queue_redrive_policy",
    "aws:waf/ipSet:IpSet": "aws_waf_ipset",
    "aws:wafregional/ipSet:IpSet": "aws_wafregional_ipset",
}

_TOKEN = re.compile(r"^aws:(?P<module>[a-z0-9]+)/(?P<member>[A-Za-z0-9_]+):(?P<name>[A-Za-z0-9_]+)$")
_ACRONYM_BOUNDARY = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(name: str) -> str:
    """``kmsMasterKeyId`` -> ``kms_master_key_id``; ``SSEAlgorithm`` -> ``sse_algorithm``."""
    return _WORD_BOUNDARY.sub(r"\1_\2", _ACRONYM_BOUNDARY.sub(r"\1_\2", name)).lower()


def terraform_type(pulumi_type: str) -> str | None:
    """The Terraform type of a pulumi-aws resource token, or None when the token is not a pulumi-aws resource."""
    if pulumi_type in IRREGULAR:
        return IRREGULAR[pulumi_type]
    match = _TOKEN.match(pulumi_type)
    if match is None:
        return None
    module, name = match["module"], match["name"]
    # pulumi-aws v6 kept the new S3 resources as ``...V2``; their Terraform names carry no suffix.
    if name.endswith("V2"):
        name = name[:-2]
    prefix = MODULE_PREFIX.get(module, f"{module}_")
    return f"aws_{prefix}{snake_case(name)}"
