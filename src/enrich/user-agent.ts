// Operating-system family of a user agent (AWS SDKs/CLI and browsers), first match wins.
export type OsFamily = 'android' | 'ios' | 'windows' | 'macos' | 'linux';

const RULES: Array<[OsFamily, RegExp]> = [
  ['android', /android/i],
  // iOS as a token (iOS/17, os/iOS_17.0, iOS 17), never inside a word such as BIOS.
  ['ios', /iphone|ipad|(?<![a-z0-9])ios(?![a-z])/i],
  ['windows', /windows|win64|win32/i],
  ['macos', /macintosh|mac os x|mac_os_x|macos|darwin/i],
  ['linux', /linux|; linux;/i],
];

export function osFamily(userAgent: string): OsFamily | undefined {
  for (const [family, pattern] of RULES) if (pattern.test(userAgent)) return family;
  return undefined;
}
