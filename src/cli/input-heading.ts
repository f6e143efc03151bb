import { isFlagProblem } from '../answers/validate.js';
import type { Problem } from '../system/errors.js';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The first line of a refusal of invalid values, naming what the admin typed them in: the flags
 * by name (`--mode has an invalid value`), the answers file by path (or the answers missing), or both.
 */
export function invalidInputHeading(problems: Problem[], answersFile: string | undefined): string {
  const flags = [...new Set(problems.filter(isFlagProblem).map((problem) => problem.field!))];
  const inFile = problems.length - problems.filter(isFlagProblem).length;
  const named = flags.length > 1 ? `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)}` : flags[0];
  const flagPart = named === undefined ? undefined : `${named} ${flags.length === 1 ? 'has an invalid value' : 'have invalid values'}`;
  // Without a file, what is not a flag's is an answer nobody gave.
  const filePart = inFile === 0 ? undefined : answersFile === undefined ? `${plural(inFile, 'answer')} ${inFile === 1 ? 'is' : 'are'} missing` : `the answers file ${answersFile} has ${plural(inFile, 'problem')}`;
  const parts = [flagPart, filePart].filter((part) => part !== undefined);
  const sentence = parts.length > 0 ? parts.join(', and ') : 'Invalid command-line values';
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}: nothing was changed.`;
}
