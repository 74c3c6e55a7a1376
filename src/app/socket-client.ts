// The Socket Mode client inside Bolt's receiver: its connection state for /healthz, its reconnections for the catch-up.
import { SocketModeReceiver, type App } from '@slack/bolt';
import type { Emitter } from '../ops/health.js';

/**
 * The Socket Mode client inside Bolt's receiver, for its connection state. Bolt keeps the receiver private;
 * if a Bolt upgrade moves it, the app refuses to start rather than report a connection it cannot see.
 */
export function socketModeClientOf(app: App): Emitter {
  const receiver = (app as unknown as { receiver?: unknown }).receiver;
  if (receiver instanceof SocketModeReceiver && typeof (receiver.client as Partial<Emitter> | undefined)?.on === 'function') return receiver.client;
  throw new Error("cannot follow the Socket Mode connection (Bolt's receiver is not where it was); /healthz could not report it");
}
