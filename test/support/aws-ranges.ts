// AWS's published ranges as the tests know them: the real snapshot committed under test/fixtures/aws-ip-ranges/
// (its README names its syncToken and createDate), never the 16-prefix excerpt in samples/ (that one is for the demo).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AwsIpRanges } from '../../src/enrich/aws-ip-ranges.js';

export const AWS_RANGES_FILE = fileURLToPath(new URL('../fixtures/aws-ip-ranges/ip-ranges.json', import.meta.url));

let loaded: AwsIpRanges | undefined;
export function realAwsRanges(): AwsIpRanges {
  loaded ??= AwsIpRanges.fromJson(JSON.parse(readFileSync(AWS_RANGES_FILE, 'utf8')) as unknown);
  return loaded;
}
