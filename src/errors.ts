/** An evidence source could not be used (unreachable, unreadable): the investigation may be retried later. */
export class EvidenceUnavailableError extends Error {
  /** The source by name, as Slack may show it ("AWS IP ranges file"); the message may hold internals. */
  readonly service: string;

  constructor(message: string, options?: { cause?: unknown; service?: string }) {
    super(message, options);
    this.name = 'EvidenceUnavailableError';
    this.service = options?.service ?? 'an evidence source';
  }
}
