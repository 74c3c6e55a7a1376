// Operating-system family of a user agent (AWS SDKs/CLI and browsers), first match wins.
export type OsFamily = 'android' | 'ios' | 'windows' | 'macos' | 'linux';

const RULES: Array<[OsFamily, RegExp]> = [
  ['android', /android/i],
  ['ios', /iphone|ipad|\bios\b|ios\//i],
  ['windows', /windows|win64|win32/i],
  ['macos', /macintosh|mac os x|mac_os_x|macos|darwin/i],
  ['linux', /linux|; linux;/i],
];

export function osFamily(userAgent: string): OsFamily | undefined {
  for (const [family, pattern] of RULES) if (pattern.test(userAgent)) return family;
  return undefined;
}
