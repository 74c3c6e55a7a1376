// Alert-derived text is attacker-controlled: escape Slack's control sequences and cut to Slack's limits.

/** &, < and > are Slack's only escapes; with them escaped, <!channel>, <@U…> and <url|label> are inert text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to `max` characters with an ellipsis, never inside an escape sequence or a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let s = text.slice(0, max - 1);
  // A lone high surrogate at the end would be half an emoji: Slack shows it as garbage or rejects it.
  const last = s.charCodeAt(s.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);
  const amp = s.lastIndexOf('&');
  if (amp >= 0 && !s.slice(amp).includes(';')) s = s.slice(0, amp);
  return `${s}…`;
}

/** Escaped and cut: the only way alert text reaches a Slack message. */
export function safe(text: string, max: number): string {
  return cut(escapeSlack(text), max);
}

/** Slack's message text arrives HTML-escaped; alerts pasted as JSON need it back. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Message text as the sender wrote it: Slack turns URLs and e-mail addresses into link markup
 * (`<https://x|x>`, `<mailto:a@b|a@b>`) and escapes &, < and >. Markup uses real brackets, typed
 * brackets arrive escaped, so links are undone first and entities after.
 */
export function slackTextToPlain(text: string): string {
  const delinked = text.replace(/<((?:https?|ftp):\/\/[^<>|\s]+|mailto:[^<>|\s]+)(?:\|[^<>]*)?>/g, (_m, target: string) =>
    target.startsWith('mailto:') ? target.slice('mailto:'.length) : target,
  );
  return unescapeSlack(delinked);
}

export const LIMITS = { sectionText: 3000, headerText: 150, contextText: 2000, buttonText: 75, messageText: 3000, blocks: 50, optionText: 75 } as const;
