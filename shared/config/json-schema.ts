// newswatch.schema.json is generated from the zod schema, never edited by hand.
import { z } from 'zod';
import { configSchema } from './schema/index.ts';

/** The JSON Schema (draft 2020-12) of the config file, as the text committed in newswatch.schema.json. */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'newswatch.config.yaml' }, null, 2)}\n`;
}
