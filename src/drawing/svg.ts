// SVG as strings, built so that alert-derived text can only ever be text: markup is a branded type that only
// these helpers make, and every plain string passes through xmlText() (escaped, controls made visible, cut).

declare const MARKUP: unique symbol;
/** SVG markup made by el()/text(); a plain string is never markup. */
export type Markup = string & { readonly [MARKUP]: true };

const asMarkup = (s: string) => s as Markup;

// Controls, DEL, C1 and the bidi overrides/isolates: XML 1.0 forbids most C0 controls even escaped, and a bidi
// override would reorder what the analyst reads (an IP shown backwards). They are shown as escapes, like the CLI.
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// Noncharacters U+FFFE/U+FFFF and lone surrogates are not XML characters at all.
const NOT_XML = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const visibleControl = (c: string) => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** Cuts to `max` characters (code points) with an ellipsis. */
export function cutText(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * A line of text as at most `maxLines` lines of at most `width` characters, broken at spaces (a word longer than
 * a line is cut); only what still does not fit ends in an ellipsis, on the last line.
 */
export function wrapText(s: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of s.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if ([...next].length <= width || !current) current = next;
    else {
      lines.push(current);
      current = word;
    }
  }
  lines.push(current);
  if (lines.length <= maxLines) return lines.map((l) => cutText(l, width));
  // The rest joined onto the last line does not fit (its next word did not): cut, it ends in an ellipsis.
  return [...lines.slice(0, maxLines - 1).map((l) => cutText(l, width)), cutText(lines.slice(maxLines - 1).join(' '), width)];
}

/** What the picture shows of a string: controls as escapes, non-characters as U+FFFD. */
export const shownText = (s: string) => s.replace(NOT_XML, '\uFFFD').replace(CONTROLS, visibleControl);

/** Any string, safe as SVG text or attribute value: controls visible, cut to `max`, then XML-escaped. */
export function xmlText(s: string, max = 200): string {
  const shown = cutText(shownText(s), max);
  return shown.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export type AttrValue = string | number | undefined;
export type Attrs = Record<string, AttrValue>;

/** Coordinates at 0.1 px: small files; a NaN or infinity is a bug, never drawn. */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number in the picture: ${n}`);
  return String(Math.round(n * 10) / 10);
}

const ATTR_NAME = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/;

function attrs(a: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    if (!ATTR_NAME.test(k)) throw new Error(`bad attribute name ${k}`);
    // Whole: our path data runs long; data-derived values are cut by their callers.
    out += ` ${k}="${typeof v === 'number' ? num(v) : xmlText(v, Infinity)}"`;
  }
  return out;
}

/** An element; children are markup only. Names are ours, never data. */
export function el(name: string, a: Attrs = {}, ...children: Markup[]): Markup {
  if (!ATTR_NAME.test(name)) throw new Error(`bad element name ${name}`);
  return asMarkup(children.length ? `<${name}${attrs(a)}>${children.join('')}</${name}>` : `<${name}${attrs(a)}/>`);
}

/** A text element: the content is escaped and cut to `max` characters. */
export function text(x: number, y: number, content: string, a: Attrs = {}, max = 120): Markup {
  return asMarkup(`<text x="${num(x)}" y="${num(y)}"${attrs(a)}>${xmlText(content, max)}</text>`);
}

/** A title element (a tooltip in viewers; the picture's accessible name). */
export function title(content: string): Markup {
  return asMarkup(`<title>${xmlText(content, 300)}</title>`);
}

export const group = (a: Attrs, ...children: Markup[]) => el('g', a, ...children);

export function svgDocument(width: number, height: number, ...children: Markup[]): Markup {
  return asMarkup(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="${FONT_FAMILY}">${children.join('')}</svg>`,
  );
}

/** The one font the pictures use (bundled from an npm package, see png.ts). */
export const FONT_FAMILY = 'Open Sans';

/** Open Sans averages about 0.56 em a character (digits and capitals wider): enough to lay labels out without measuring. */
export const textWidth = (s: string, size: number) => [...shownText(s)].length * size * 0.56;
