// What the worker and its picture renderer processes (pool.ts, renderer.ts) say to each other over IPC
// (advanced serialization: Dates and bytes pass as they are).
import type { Picture, PictureInput } from './index.js';

export interface RenderRequest {
  id: number;
  input: PictureInput;
}

export type RendererMessage =
  | { ready: true }
  | { id: number; rssBytes: number; picture: Omit<Picture, 'png'> & { png: Uint8Array } }
  | { id: number; rssBytes: number; nothing: string }
  | { id: number; rssBytes: number; error: string };
