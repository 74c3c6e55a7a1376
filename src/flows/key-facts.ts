// A verdict's key facts for Slack, as the flow declares them: lines of parts that say what each part is (our
// label, our plain words, or a value from the alert or evidence with its bound). src/slack renders them:
// values are escaped, defanged and cut there, so a flow never has to know Slack's rules.

export type FactPart = { kind: 'label'; text: string } | { kind: 'plain'; text: string } | { kind: 'value'; text: string; max: number };
/** One line of key facts. */
export type KeyFactLine = FactPart[];

/** Our own label (shown bold). */
export const label = (text: string): FactPart => ({ kind: 'label', text });
/** Our own words (never a value from an alert or evidence). */
export const plain = (text: string): FactPart => ({ kind: 'plain', text });
/** A value from an alert or evidence, at most `max` characters: shown escaped and defanged. */
export const value = (text: string, max: number): FactPart => ({ kind: 'value', text, max });
