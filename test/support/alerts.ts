import { recogniseAlert } from '../../src/flows/recognise.js';
import type { Alert } from '../../src/alerts/types.js';

/** A scenario's alert input, parsed as the edges parse it. */
export function toAlert(raw: unknown): Alert {
  const outcome = recogniseAlert(raw);
  if (outcome.kind !== 'alert') throw new Error(`scenario alert not recognised: ${outcome.reason}`);
  return outcome.alert;
}

/** For flows that must not touch AWS's ranges. */
export const noClassifier = async (): Promise<never> => {
  throw new Error('this flow needs no AWS ranges');
};

/** A canonical AWS stolen-credentials alert of the e2e suites: key `key`, the instance of test/support/cloudtrail.ts. */
export function e2eAwsAlert(id: string, key: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'aws.instance_credential_exfiltration',
    time: '2026-11-05T12:00:00Z',
    title: 'Instance credentials used outside AWS',
    access_key_id: key,
    instance_id: 'i-0a1b2c3d4e5f60718',
    region: 'us-east-1',
    ...extra,
  };
}
