// `--picture` and `--pictures`: the same evidence picture the worker posts in Slack, written to a file.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderPicture, type PictureInput } from '../pictures/index.js';

/** A file or folder the command could not write: bad usage (exit 2), not a service failure. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? 'error';

/** Renders the picture and writes it where `pathFor` says (given its own file name); returns a line for the terminal. */
async function save(input: PictureInput, pathFor: (filename: string) => string): Promise<string> {
  const picture = await renderPicture(input);
  if ('nothing' in picture) return `no picture: ${picture.nothing}`;
  const path = pathFor(picture.filename);
  try {
    await writeFile(path, picture.png);
  } catch (err) {
    throw new OutputError(`cannot write ${path.slice(0, 200)}: ${code(err)}`);
  }
  return `picture: ${path} (${picture.png.length} bytes)`;
}

/** `--picture out.png`: the PNG at the path given. */
export const writePicture = (path: string, input: PictureInput) => save(input, () => path);

/** `--pictures DIR`: the PNG in the folder, named from the alert id. */
export const writePictureIn = (dir: string, input: PictureInput) => save(input, (filename) => join(dir, filename));

/** `--picture out.png`: its folder made if missing, and the path refused when it is a folder itself. */
export async function pictureDestination(path: string): Promise<void> {
  await pictureFolder(dirname(path));
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new OutputError(`cannot write ${path.slice(0, 200)}: it is a folder (give a file name such as ${join(path, 'evidence.png').slice(0, 200)})`);
}

/** A folder for pictures, made if missing. */
export async function pictureFolder(dir: string): Promise<string> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    // mkdir -p says EEXIST when the folder's own name is taken by a file.
    throw new OutputError(`cannot make the folder ${dir.slice(0, 200)}: ${code(err) === 'EEXIST' ? 'a file has that name (EEXIST)' : code(err)}`);
  }
  return dir;
}
