// Building blocks of our index templates: field types, and dotted field names turned into a mapping.
import { isUnsafeSegment } from '../../alerts/json.js';

export type Mapping = Record<string, unknown>;

export const kw = { type: 'keyword', ignore_above: 1024 };
export const date = { type: 'date' };
export const disabled = { type: 'object', enabled: false };

export const DYNAMIC_STRINGS_AS_KEYWORD = [{ strings_as_keyword: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 1024 } } }];

/** Dotted field names → nested "properties" mapping (prototype-less objects; __proto__-like segments refused). */
export function props(fields: Record<string, Mapping>): Mapping {
  const node = (): Mapping => Object.create(null) as Mapping;
  const root = node();
  for (const [path, mapping] of Object.entries(fields)) {
    const parts = path.split('.');
    if (parts.some(isUnsafeSegment)) throw new Error(`field name ${path} has a reserved segment`);
    let cur = root;
    parts.forEach((part, i) => {
      const existing = Object.hasOwn(cur, part) ? (cur[part] as Mapping) : undefined;
      if (i === parts.length - 1) {
        cur[part] = Object.assign(existing ?? node(), mapping);
      } else {
        const field = existing ?? node();
        const properties = Object.hasOwn(field, 'properties') ? (field['properties'] as Mapping) : node();
        field['properties'] = properties;
        cur[part] = field;
        cur = properties;
      }
    });
  }
  return root;
}
