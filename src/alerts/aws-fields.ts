export const ACCESS_KEY_RULES = { max: 128, pattern: /^[A-Z0-9]{4,128}$/, patternHint: 'an AWS access key id (e.g. ASIA…)' };
export const INSTANCE_ID_RULES = { max: 32, pattern: /^i-[0-9A-Za-z]{1,64}$/, patternHint: 'an EC2 instance id (i-…)' };
