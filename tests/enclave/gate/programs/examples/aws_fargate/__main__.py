"""In the style of pulumi/examples aws-py-fargate: an ECS cluster, a load balancer in the default VPC and a
Fargate service running nginx behind it. Reads the default VPC and its subnets with invokes."""

import json

import pulumi
import pulumi_aws as aws

cluster = aws.ecs.Cluster("cluster")

vpc = aws.ec2.get_vpc(default=True)
subnets = aws.ec2.get_subnets(filters=[aws.ec2.GetSubnetsFilterArgs(name="vpc-id", values=[vpc.id])])

web_group = aws.ec2.SecurityGroup(
    "web-sg",
    vpc_id=vpc.id,
    description="HTTP in, anything out",
    ingress=[aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=80, to_port=80, cidr_blocks=["0.0.0.0/0"])],
    egress=[aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"])],
)

balancer = aws.lb.LoadBalancer("web-lb", security_groups=[web_group.id], subnets=subnets.ids)
targets = aws.lb.TargetGroup("web-tg", port=80, protocol="HTTP", target_type="ip", vpc_id=vpc.id)
listener = aws.lb.Listener(
    "web",
    load_balancer_arn=balancer.arn,
    port=80,
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=targets.arn)],
)

execution_role = aws.iam.Role(
    "task-execution",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
aws.iam.RolePolicyAttachment(
    "task-execution-policy",
    role=execution_role.name,
    policy_arn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
)

task = aws.ecs.TaskDefinition(
    "web-task",
    family="web",
    cpu="256",
    memory="512",
    network_mode="awsvpc",
    requires_compatibilities=["FARGATE"],
    execution_role_arn=execution_role.arn,
    container_definitions=json.dumps(
        [{"name": "web", "image": "nginx", "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}]}]
    ),
)

aws.ecs.Service(
    "web-svc",
    cluster=cluster.arn,
    desired_count=2,
    launch_type="FARGATE",
    task_definition=task.arn,
    network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
        assign_public_ip=True, subnets=subnets.ids, security_groups=[web_group.id]
    ),
    load_balancers=[
        aws.ecs.ServiceLoadBalancerArgs(target_group_arn=targets.arn, container_name="web", container_port=80)
    ],
    opts=pulumi.ResourceOptions(depends_on=[listener]),
)

pulumi.export("url", balancer.dns_name)
