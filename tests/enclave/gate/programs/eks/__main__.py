"""In the style of pulumi/examples aws-py-eks: a VPC, IAM roles, an EKS cluster and a managed node group."""

import json

import pulumi
import pulumi_aws as aws

zones = aws.get_availability_zones(state="available")

vpc = aws.ec2.Vpc("eks-vpc", cidr_block="10.100.0.0/16", enable_dns_hostnames=True, enable_dns_support=True)
gateway = aws.ec2.InternetGateway("eks-igw", vpc_id=vpc.id)
route_table = aws.ec2.RouteTable(
    "eks-route-table", vpc_id=vpc.id, routes=[{"cidr_block": "0.0.0.0/0", "gateway_id": gateway.id}]
)

subnet_ids = []
for index, zone in enumerate(zones.names[:2]):
    subnet = aws.ec2.Subnet(
        f"eks-subnet-{zone}",
        vpc_id=vpc.id,
        cidr_block=f"10.100.{index}.0/24",
        availability_zone=zone,
        map_public_ip_on_launch=True,
    )
    aws.ec2.RouteTableAssociation(f"eks-rta-{zone}", route_table_id=route_table.id, subnet_id=subnet.id)
    subnet_ids.append(subnet.id)


def assume_role(service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
    )


cluster_role = aws.iam.Role("eks-cluster-role", assume_role_policy=assume_role("eks.amazonaws.com"))
aws.iam.RolePolicyAttachment(
    "eks-cluster-policy", role=cluster_role.name, policy_arn="arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
)
node_role = aws.iam.Role("eks-node-role", assume_role_policy=assume_role("ec2.amazonaws.com"))
for i, policy in enumerate(["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"]):
    aws.iam.RolePolicyAttachment(
        f"eks-node-policy-{i}", role=node_role.name, policy_arn=f"arn:aws:iam::aws:policy/{policy}"
    )

cluster = aws.eks.Cluster(
    "eks-cluster",
    role_arn=cluster_role.arn,
    vpc_config={"subnet_ids": subnet_ids, "endpoint_public_access": True},
)

aws.eks.NodeGroup(
    "eks-node-group",
    cluster_name=cluster.name,
    node_role_arn=node_role.arn,
    subnet_ids=subnet_ids,
    scaling_config={"desired_size": 2, "min_size": 1, "max_size": 2},
)

pulumi.export("cluster_name", cluster.name)
pulumi.export("kubeconfig_endpoint", cluster.endpoint)
