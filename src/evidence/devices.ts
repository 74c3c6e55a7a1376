// Where an event names who and which device (evidence-schema.md). Shared by both evidence implementations.

/**
 * A proxy record's person (evidence-schema.md v4): user.email, else user.name, else source.user.name (Zscaler's
 * device owner). One person per record: the other fields' values are the same person's other spellings.
 */
export const PROXY_PERSON_FIELDS = ['user.email', 'user.name', 'source.user.name'] as const;

/** event.action of a proxy record the proxy blocked (Elastic's Zscaler pipeline lower-cases Zscaler's `Blocked`). */
export const BLOCKED_ACTION = 'blocked';

/**
 * A proxy event's device: host.name, else Zscaler's zscaler_zia.web.device.hostname, else related.hosts
 * (Elastic's Zscaler pipeline sets no host.name).
 */
export const PROXY_DEVICE_FIELDS = ['host.name', 'zscaler_zia.web.device.hostname', 'related.hosts'] as const;

/** An EDR event's user and device. */
export const EDR_FIELDS = { devices: ['host.name'], users: ['user.name', 'user.email'] } as const;
export const PROXY_FIELDS = { devices: PROXY_DEVICE_FIELDS, users: PROXY_PERSON_FIELDS } as const;
