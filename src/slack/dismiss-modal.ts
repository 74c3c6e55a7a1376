// The Dismiss modal: a reason, a note, and (when the alert names what is similar) suppressing similar alerts.
// The similarity shown is values from the alert, as plain text.
import { describeKey, type SimilarityKey } from '../suppress/key.js';
import { SUPPRESSION_DAYS } from '../suppress/store.js';
import type { Block } from './render.js';
import { slackValue } from './rich-text.js';

export const DISMISS_VIEW = 'triage_dismiss_view';
export const DISMISS_REASONS = [
  ['false_positive', 'False positive'],
  ['benign_true_positive', 'Benign true positive'],
  ['duplicate', 'Duplicate'],
  ['other', 'Other'],
] as const;

/** The Dismiss modal; with a similarity key, it offers to suppress similar alerts (none offered without one). */
/** `privateMetadata`: what the dialog shows (the alert's key, run and similarity key; app/dismiss-shown.ts), checked on submit. */
export function dismissModal(privateMetadata: string, similar?: SimilarityKey): Block {
  return {
    type: 'modal',
    callback_id: DISMISS_VIEW,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: 'Dismiss alert' },
    submit: { type: 'plain_text', text: 'Dismiss' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'static_select',
          action_id: 'value',
          options: DISMISS_REASONS.map(([value, text]) => ({ value, text: { type: 'plain_text', text } })),
        },
      },
      {
        type: 'input',
        block_id: 'note',
        optional: true,
        label: { type: 'plain_text', text: 'Note' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1000 },
      },
      ...(similar
        ? [
            {
              type: 'input',
              block_id: 'suppress',
              optional: true,
              label: { type: 'plain_text', text: 'Suppress similar alerts for' },
              element: {
                type: 'static_select',
                action_id: 'value',
                placeholder: { type: 'plain_text', text: 'Do not suppress' },
                options: SUPPRESSION_DAYS.map((d) => ({ value: String(d), text: { type: 'plain_text', text: d === 1 ? '1 day' : `${d} days` } })),
              },
              // What "similar" means here: values from the alert, as plain text.
              hint: { type: 'plain_text', emoji: false, text: `Same flow and ${slackValue(describeKey(similar), 1200)}. They are still investigated and recorded, and answered quietly in their threads; a malicious verdict is posted in full.` },
            },
          ]
        : []),
    ],
  };
}
