/** Rewrites the answers reference in README.md from the schema (src/answers/reference.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withReference } from '../src/answers/reference.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
writeFileSync(readme, withReference(readFileSync(readme, 'utf8')));
