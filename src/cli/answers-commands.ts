import { loadAnswersFile } from '../answers/load.js';
import { answersTemplate } from '../answers/template.js';
import { validateAnswers } from '../answers/validate.js';
import { InputError } from '../system/errors.js';
import { commandLine, detectInvocation } from '../system/invocation.js';
import { writeUserFile } from '../system/safe-write.js';
import { printable } from '../system/text-checks.js';
import { checkFileTarget } from '../system/user-paths.js';

/** `ha-install answers init [FILE]`: a commented template; to stdout without FILE. Never overwrites. */
export function answersInit(path: string | undefined, force: boolean): void {
  if (!path) {
    process.stdout.write(answersTemplate());
    return;
  }
  const problem = checkFileTarget(path, { flag: 'answers init FILE', force });
  if (problem) throw new InputError(problem.message.endsWith('not overwritten') ? `${printable(path)} already exists: not overwritten (--force replaces it).` : `${printable(path)} cannot be written.`, [problem]);
  writeUserFile(path, answersTemplate(), { flag: 'answers init FILE', force, mode: 0o600 });
  process.stderr.write(`Wrote the answers template to ${path} (mode 0600). Fill it in, then: ${commandLine(detectInvocation(), ['--answers', path])}\n`);
}

/** `ha-install answers validate FILE`: every problem at once; no root, no change to the machine. */
export function answersValidate(path: string): void {
  const loaded = loadAnswersFile(path);
  if (loaded.problems.length > 0) throw new InputError(`${printable(path)} cannot be read as an answers file.`, loaded.problems);
  const { answers, problems } = validateAnswers(loaded.raw, { filePath: path });
  if (problems.length > 0) throw new InputError(`${printable(path)} has ${problems.length} problem${problems.length > 1 ? 's' : ''}.`, problems);
  process.stdout.write(`✔ ${path} is valid: mode ${answers.mode}${answers.masterIp ? `, master ${answers.masterIp}` : ''}${answers.slaveIp ? `, slave ${answers.slaveIp}` : ''}.\n`);
}
