// Letters and digits: real keys are upper case (ASIA…, AKIA…); GuardDuty's sample findings say GeneratedFindingAccessKeyId.
export const ACCESS_KEY_RULES = { max: 128, pattern: /^[A-Za-z0-9]{4,128}$/, patternHint: 'an AWS access key id', patternExample: 'e.g. ASIA…' };
export const INSTANCE_ID_RULES = { max: 32, pattern: /^i-[0-9A-Za-z]{1,64}$/, patternHint: 'an EC2 instance id (i-…)' };
