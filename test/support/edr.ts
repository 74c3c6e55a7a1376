// Builders of realistic proxy and EDR ECS documents (Zscaler, Elastic Defend).
export function proxyHit(at: string, url: string, user: string, host: string): Record<string, unknown> {
  const domain = url.replace(/^[a-z]+:\/\//i, '').split(/[/:?]/)[0];
  return {
    '@timestamp': at,
    event: { dataset: 'zscaler_zia.web', category: ['web'], action: 'allowed' },
    url: { full: url, original: url, domain },
    user: { name: user, email: `${user}@example.com` },
    host: { name: host },
    source: { ip: '10.20.0.15' },
    related: { ip: ['198.51.100.20'] },
  };
}

export function dnsLookup(at: string, name: string, user: string, host: string): Record<string, unknown> {
  return {
    '@timestamp': at,
    event: { dataset: 'endpoint.events.network', category: ['network'], type: ['protocol', 'info'], action: 'lookup_requested' },
    dns: { question: { name } },
    host: { name: host },
    user: { name: user },
    process: { name: 'chrome.exe' },
  };
}

export function connection(at: string, domain: string, user: string, host: string): Record<string, unknown> {
  return {
    '@timestamp': at,
    event: { dataset: 'endpoint.events.network', category: ['network'], type: ['start'], action: 'connection_attempted' },
    destination: { domain, ip: '192.0.2.44', port: 443 },
    host: { name: host },
    user: { name: user },
  };
}

export function processStart(at: string, p: { name: string; commandLine: string; sha256?: string; user: string; host: string }): Record<string, unknown> {
  return {
    '@timestamp': at,
    event: { dataset: 'endpoint.events.process', category: ['process'], type: ['start'], action: 'start' },
    process: { name: p.name, command_line: p.commandLine, args: p.commandLine.split(' '), ...(p.sha256 ? { hash: { sha256: p.sha256 } } : {}) },
    host: { name: p.host },
    user: { name: p.user },
  };
}

export function fileCreation(at: string, f: { name: string; path: string; sha256?: string; user: string; host: string }): Record<string, unknown> {
  return {
    '@timestamp': at,
    event: { dataset: 'endpoint.events.file', category: ['file'], type: ['creation'], action: 'creation' },
    file: { name: f.name, path: f.path, ...(f.sha256 ? { hash: { sha256: f.sha256 } } : {}) },
    host: { name: f.host },
    user: { name: f.user },
  };
}

/**
 * A web request as Elastic's zscaler_zia pipeline stores it: the user in source.user.name (and user.email),
 * the device in zscaler_zia.web.device.hostname and related.hosts, no host.name; the device's egress in
 * source.nat.ip, the web server in destination.ip.
 */
/**
 * `user` is Zscaler's device owner (source.user.name), `userName` the login's name some package versions put
 * in user.name; `action` as the pipeline writes it (Zscaler's `Blocked` → `blocked`).
 */
export function zscalerHit(
  at: string,
  url: string,
  p: { user?: string; userName?: string; email?: string; device?: string; relatedHosts?: string[]; egress?: string; server?: string; action?: string; status?: number },
): Record<string, unknown> {
  const domain = url.replace(/^[a-z]+:\/\//i, '').split(/[/:?]/)[0];
  return {
    '@timestamp': at,
    data_stream: { dataset: 'zscaler_zia.web', type: 'logs' },
    event: { dataset: 'zscaler_zia.web', category: ['web'], action: p.action ?? 'allowed', outcome: p.action === 'blocked' ? 'failure' : 'success', kind: 'event', type: ['info'] },
    url: { full: url, original: url, domain, scheme: url.split(':')[0] },
    ...(p.status ? { http: { response: { status_code: p.status } } } : {}),
    ...(p.user || p.email ? { source: { nat: { ip: p.egress ?? '81.2.69.193' }, ...(p.user ? { user: { name: p.user } } : {}) } } : {}),
    ...(p.email || p.userName ? { user: { ...(p.email ? { email: p.email } : {}), ...(p.userName ? { name: p.userName } : {}) } } : {}),
    destination: { ip: p.server ?? '81.2.69.145' },
    related: { ip: [p.egress ?? '81.2.69.193', p.server ?? '81.2.69.145'], ...(p.relatedHosts ? { hosts: p.relatedHosts } : {}), ...(p.user ? { user: [p.user] } : {}) },
    zscaler_zia: { web: { ...(p.device ? { device: { hostname: p.device } } : {}), action: p.action === 'blocked' ? 'Blocked' : 'Allowed', location: 'HQ' } },
  };
}
