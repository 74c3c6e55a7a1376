// The terminal report shows evidence whole but never lets it act on the analyst's terminal.
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/cli/render.js';
import { awsFacts } from '../support/facts.js';

describe('triage investigate --format text', () => {
  it('shows control characters as escapes and keeps indicators undefanged', () => {
    const text = renderText({
      alert_id: 'a\u001b]8;;https://evil.example\u0007x',
      flow: 'aws_instance_credentials',
      verdict: 'malicious',
      score: 90,
      summary: 'clear\u001b[2J screen \u202Eexe.gnp',
      path: [{ step: 'A1', question: 'q', answer: 'yes', evidence: 'from https://evil.example and 45.155.205.10' }],
      facts: awsFacts(),
    });
    // Nothing raw but our own line breaks.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('\\x1b[2J');
    expect(text).toContain('\\u202e');
    expect(text).toContain('https://evil.example and 45.155.205.10');
  });
});
