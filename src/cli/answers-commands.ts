import { existsSync, writeFileSync } from 'node:fs';
import { loadAnswersFile } from '../answers/load.js';
import { answersTemplate } from '../answers/template.js';
import { validateAnswers } from '../answers/validate.js';
import { InputError } from '../system/errors.js';

/** `ha-install answers init [FILE]`: a commented template; to stdout without FILE. Never overwrites. */
export function answersInit(path: string | undefined, force: boolean): void {
  const text = answersTemplate();
  if (!path) {
    process.stdout.write(text);
    return;
  }
  if (existsSync(path) && !force) {
    throw new InputError(`${path} already exists: not overwritten.`, [{ field: path, message: 'file exists', fix: 'choose another name, or pass --force to replace it' }]);
  }
  writeFileSync(path, text, { mode: 0o600 });
  process.stderr.write(`Wrote the answers template to ${path} (mode 0600). Fill it in, then: sudo ha-install --answers ${path}\n`);
}

/** `ha-install answers validate FILE`: every problem at once; no root, no change to the machine. */
export function answersValidate(path: string): void {
  const loaded = loadAnswersFile(path);
  if (loaded.problems.length > 0) throw new InputError(`${path} cannot be read as an answers file.`, loaded.problems);
  const { answers, problems } = validateAnswers(loaded.raw, { filePath: path });
  if (problems.length > 0) throw new InputError(`${path} has ${problems.length} problem${problems.length > 1 ? 's' : ''}.`, problems);
  process.stdout.write(`✔ ${path} is valid: mode ${answers.mode}${answers.masterIp ? `, master ${answers.masterIp}` : ''}${answers.slaveIp ? `, slave ${answers.slaveIp}` : ''}.\n`);
}
