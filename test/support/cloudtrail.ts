// Concise builders of realistic CloudTrail ECS documents for scenario tests.
export const ACCOUNT = '111122223333';
export const UA = {
  linuxCli: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.167.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/s3.ls',
  boto3Linux: 'Boto3/1.34.2 md/Botocore#1.34.2 ua/2.0 os/linux#6.5.0-1017-aws md/arch#x86_64 lang/python#3.11.6',
  macCli: 'aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/s3.ls',
  javaMac: 'aws-sdk-java/1.12.500 Mac_OS_X/14.2 OpenJDK_64-Bit_Server_VM/17.0.9+9 java/17.0.9 vendor/Eclipse_Adoptium',
  windowsCli: 'aws-cli/2.15.30 Python/3.11.8 Windows/10 exe/AMD64 prompt/off command/s3.ls',
  internal: 'AWS Internal',
} as const;

export interface KeyEvent {
  at: string;
  key: string;
  ip: string;
  ua?: string;
  action?: string;
  instance?: string;
  account?: string;
  outcome?: 'success' | 'failure';
}

export function keyEvent(e: KeyEvent): Record<string, unknown> {
  const instance = e.instance ?? 'i-0a1b2c3d4e5f60718';
  const account = e.account ?? ACCOUNT;
  const isIp = /^[\d.]+$|:/.test(e.ip);
  return {
    '@timestamp': e.at,
    event: { dataset: 'aws.cloudtrail', action: e.action ?? 'DescribeInstances', provider: 'ec2.amazonaws.com', outcome: e.outcome ?? 'success', kind: 'event' },
    aws: {
      cloudtrail: {
        user_identity: {
          access_key_id: e.key,
          type: 'AssumedRole',
          arn: `arn:aws:sts::${account}:assumed-role/app-role/${instance}`,
          session_context: { session_issuer: { arn: `arn:aws:iam::${account}:role/app-role` } },
        },
      },
    },
    user: { id: `AROAEXAMPLEAPPROLE:${instance}` },
    source: isIp ? { address: e.ip, ip: e.ip } : { address: e.ip },
    user_agent: { original: e.ua ?? UA.linuxCli },
    cloud: { account: { id: account }, region: 'us-east-1', provider: 'aws' },
  };
}

export interface ChangeCall {
  at: string;
  action: string;
  instances?: string[];
  publicIp?: string;
  account?: string;
  outcome?: 'success' | 'failure';
  /** Put parameters only in the flattened object (as Elastic's integration does for small ones). */
  flattenedOnly?: boolean;
}

export function changeCall(c: ChangeCall): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (c.instances?.length === 1 && c.action !== 'StartInstances' && c.action !== 'StopInstances' && c.action !== 'RebootInstances') params['instanceId'] = c.instances[0];
  else if (c.instances) params['instancesSet'] = { items: c.instances.map((instanceId) => ({ instanceId })) };
  if (c.publicIp) params['publicIp'] = c.publicIp;
  const account = c.account ?? ACCOUNT;
  return {
    '@timestamp': c.at,
    event: { dataset: 'aws.cloudtrail', action: c.action, provider: 'ec2.amazonaws.com', outcome: c.outcome ?? 'success' },
    aws: {
      cloudtrail: {
        user_identity: { type: 'IAMUser', arn: `arn:aws:iam::${account}:user/ops`, access_key_id: 'AKIAOPSUSER00000001' },
        ...(c.flattenedOnly ? {} : { request_parameters: JSON.stringify(params) }),
        flattened: { request_parameters: params },
        ...(c.outcome === 'failure' ? { error_code: 'Client.UnauthorizedOperation' } : {}),
      },
    },
    user: { id: 'AIDAOPSUSER' },
    source: { address: '198.51.100.7', ip: '198.51.100.7' },
    user_agent: { original: 'console.ec2.amazonaws.com' },
    cloud: { account: { id: account }, region: 'us-east-1' },
  };
}
