// Where an event names who and which device (evidence-schema.md). Shared by both evidence implementations.

/** A proxy event's user: Zscaler's in source.user.name, other proxies' in user.name or user.email. */
export const PROXY_USER_FIELDS = ['source.user.name', 'user.name', 'user.email'] as const;

/**
 * A proxy event's device: host.name, else Zscaler's zscaler_zia.web.device.hostname, else related.hosts
 * (Elastic's Zscaler pipeline sets no host.name).
 */
export const PROXY_DEVICE_FIELDS = ['host.name', 'zscaler_zia.web.device.hostname', 'related.hosts'] as const;

/** An EDR event's user and device. */
export const EDR_FIELDS = { devices: ['host.name'], users: ['user.name', 'user.email'] } as const;
export const PROXY_FIELDS = { devices: PROXY_DEVICE_FIELDS, users: PROXY_USER_FIELDS } as const;
