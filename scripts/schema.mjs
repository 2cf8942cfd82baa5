// Writes the wire format's JSON Schema from the validator's own rules, so the two cannot drift apart.
// `npm run build` runs it; a unit test fails when the committed file is stale.
import { writeFileSync, mkdirSync } from 'node:fs';
import { getBatchSchema } from '../packages/core/dist/index.js';

const file = new URL('../packages/core/schema/batch.v1.json', import.meta.url);
mkdirSync(new URL('.', file), { recursive: true });
writeFileSync(file, `${JSON.stringify(getBatchSchema(), null, 2)}\n`);
