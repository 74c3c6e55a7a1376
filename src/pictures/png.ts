// SVG to PNG with resvg (Rust, prebuilt binaries from the npm registry; no system packages). Text needs a font
// and the machine's fonts are never used: Open Sans comes from an npm package (open-sans-fonts, Apache-2.0).
// resvg reads TrueType, not WOFF (so no @fontsource package), and shapes every text element with the font's
// layout tables: Open Sans shapes about four times faster than DejaVu Sans, whose tables are large.
// Rendering runs on libuv's thread pool, off the event loop.
import { createRequire } from 'node:module';
import { FONT_FAMILY } from '../drawing/svg.js';

const require = createRequire(import.meta.url);

export const FONT_FILES = [require.resolve('open-sans-fonts/open-sans/Regular/OpenSans-Regular.ttf'), require.resolve('open-sans-fonts/open-sans/Bold/OpenSans-Bold.ttf')];

/** Slack shows images scaled to the thread's width: 1.5× keeps small labels legible. */
export const PNG_SCALE = 1.5;

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Whether resvg's binary loads on this platform (pictures on), for `triage config check`. */
export async function picturesAvailable(): Promise<boolean> {
  try {
    await import('@resvg/resvg-js');
    return true;
  } catch {
    return false;
  }
}

export async function svgToPng(svg: string): Promise<Buffer> {
  // Loaded on first use: a platform without resvg's binary loses its pictures (each logged), never its worker.
  const { renderAsync } = await import('@resvg/resvg-js');
  const image = await renderAsync(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: '#ffffff',
    logLevel: 'off',
  });
  return image.asPng();
}
