// Reading Block Kit as Slack would show it: which texts Slack parses as mrkdwn, which it shows literally.

type Node = Record<string, unknown>;

function walk(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value && typeof value === 'object') {
    visit(value as Node);
    Object.values(value as Node).forEach((v) => walk(v, visit));
  }
}

/** Every text Slack parses as mrkdwn (links, mentions, *bold*, new lines). */
export function mrkdwnTexts(blocks: unknown): string[] {
  const out: string[] = [];
  walk(blocks, (n) => {
    if (n['type'] === 'mrkdwn' && typeof n['text'] === 'string') out.push(n['text']);
  });
  return out;
}

/** Every text Slack shows literally: plain_text objects and rich_text text elements. */
export function literalTexts(blocks: unknown): string[] {
  const out: string[] = [];
  walk(blocks, (n) => {
    if ((n['type'] === 'plain_text' || n['type'] === 'text') && typeof n['text'] === 'string') out.push(n['text']);
  });
  return out;
}

/** The message as a reader sees it: rich_text sections joined, blocks on their own lines. */
export function shownText(blocks: unknown): string {
  const parts: string[] = [];
  for (const block of (Array.isArray(blocks) ? blocks : []) as Node[]) {
    const texts: string[] = [];
    walk(block, (n) => {
      if (n['type'] === 'user' && typeof n['user_id'] === 'string') texts.push(`<@${n['user_id']}>`);
      else if (n['type'] === 'emoji' && typeof n['name'] === 'string') texts.push(`:${n['name']}:`);
      // A date element reads as its fallback here (the reader's own time zone in Slack).
      else if (n['type'] === 'date' && typeof n['fallback'] === 'string') texts.push(n['fallback']);
      else if (n['type'] === 'link' && typeof n['text'] === 'string') texts.push(n['text']);
      else if ((n['type'] === 'plain_text' || n['type'] === 'text' || n['type'] === 'mrkdwn') && typeof n['text'] === 'string') texts.push(n['text']);
    });
    parts.push(texts.join(block['type'] === 'context' ? ' ' : ''));
  }
  return parts.join('\n');
}
