/** An evidence source could not be used (unreachable, unreadable): the investigation may be retried later. */
export class EvidenceUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EvidenceUnavailableError';
  }
}
