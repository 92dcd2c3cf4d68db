import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** JSON Schemas written from OpenMetadata's spec (tests/openmetadata/schemas), compiled once with ajv. */
const dir = join(dirname(fileURLToPath(import.meta.url)), 'schemas');
// multipleOf 0.1 on versions needs a float tolerance (0.3 is not an exact multiple of 0.1 in binary).
const ajv = new Ajv({ allErrors: true, strict: false, multipleOfPrecision: 9 });
const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
addFormats(ajv);
for (const file of readdirSync(dir)) ajv.addSchema(JSON.parse(readFileSync(join(dir, file), 'utf8')) as object, file);

/** The schema's complaints about `value` (empty when it conforms). */
export function problems(schema: string, value: unknown): string[] {
  const validate = ajv.getSchema(schema);
  if (!validate) throw new Error(`no schema ${schema}`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
