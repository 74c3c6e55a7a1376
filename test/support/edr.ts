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
