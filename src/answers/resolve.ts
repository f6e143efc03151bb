import type { Choice, Prompter } from '../prompts/prompter.js';
import { BugError } from '../system/errors.js';
import { expectedText } from './coerce.js';
import { fieldByProp, fields } from './schema.js';
import { modeNumbers, modeTitles, type AnswerKey, type Answers, type CommandName, type FieldSpec, type Secret } from './types.js';
import { checkValue } from './validate.js';

/**
 * The one place where answer precedence lives: flag > answers file > interactive prompt >
 * default. Flows call resolveAnswer for what they ask and applyDefaults for the rest, so no
 * flow ever decides on its own which source wins.
 */
export interface AnswerSources {
  flags: Partial<Answers>;
  file: Partial<Answers>;
  /** Undefined when unattended. A prompter that says it is not interactive is never asked either. */
  prompter?: Prompter;
  /** The command being answered (what is required depends on it); default install. */
  command?: CommandName;
}

export interface ResolveOptions {
  /** Prompt even when a value is known (the admin chose "edit"); the known value is the initial one. */
  ask?: boolean;
  message?: string;
  choices?: Choice[];
  /** An extra check on top of the field's own, e.g. a flow-specific rule. */
  validate?: (value: string) => string | undefined;
}

/**
 * The mode menu in Motadata's order, which admins know by heart: the front ends number menus by
 * position, so 3 is the HA slave in the menu as in `--mode 3`.
 */
const modeChoices: Choice[] = Object.entries(modeNumbers)
  .sort(([a], [b]) => Number(a) - Number(b))
  .map(([, mode]) => ({ value: mode, label: modeTitles[mode] }));

/** Questions in human words; a field missing here is asked with its description. */
const questions: Partial<Record<AnswerKey, string>> = {
  mode: 'Install mode',
  highAvailability: 'Set up High Availability?',
  masterIp: 'Master server IP address',
  slaveIp: 'Slave server IP address',
  balancerIp: 'Load balancer IP address (Enter for none on a database node)',
  ignoreRequirements: 'Go on although this machine is below the minimum requirements?',
  skipPackages: 'Skip installing OS packages?',
  extraPackages: 'Extra OS packages (separated by commas)',
  pgVersion: 'PostgreSQL major version',
  pgCluster: 'PostgreSQL cluster name',
  pgPort: 'PostgreSQL port',
  replicationUser: 'Replication user name',
  backupPassword: 'Replication (backup) password',
  synchronous: 'Use synchronous replication?',
  slotName: 'Replication slot name',
  masterWaitSeconds: 'Seconds the slave waits for the master',
};

const characterKinds: [string, RegExp][] = [
  ['lower-case letters', /[a-z]/],
  ['upper-case letters', /[A-Z]/],
  ['digits', /\d/],
  ['symbols', /[^A-Za-z0-9]/],
];

/** The replication password policy: at least 12 characters and 3 of the 4 kinds. Never echoes it. */
export function passwordStrength(password: string): string | undefined {
  const wrong: string[] = [];
  if (password.length < 12) wrong.push(`is ${password.length} characters long (at least 12 are needed)`);
  const unused = characterKinds.filter(([, pattern]) => !pattern.test(password)).map(([name]) => name);
  if (unused.length > 1) wrong.push(`uses ${4 - unused.length} of the 4 kinds of character (at least 3 are needed): add ${unused.join(' or ')}`);
  return wrong.length > 0 ? `The password ${wrong.join(' and ')}.` : undefined;
}

/** Fills every unanswered field that has a default. Lists are copied so no run shares one. */
export function applyDefaults(partial: Partial<Answers>): Partial<Answers> {
  const out: Record<string, unknown> = { ...partial };
  for (const spec of fields) {
    if (out[spec.prop] === undefined && spec.default !== undefined) out[spec.prop] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
  }
  return out as Partial<Answers>;
}

function textValidator(spec: FieldSpec, known: Partial<Answers>, extra: ResolveOptions['validate'], command: CommandName) {
  return (input: string): string | undefined => {
    if (input.trim() === '') return spec.required?.(known, command) ? `An answer is needed: ${expectedText(spec)}.` : extra?.(input);
    const checked = checkValue(spec, input, known);
    return checked.ok ? extra?.(input) : `${checked.message}; ${checked.fix}`;
  };
}

async function ask(spec: FieldSpec, prompter: Prompter, current: unknown, known: Partial<Answers>, opts: ResolveOptions, command: CommandName): Promise<unknown> {
  const field = spec.key;
  const message = opts.message ?? questions[spec.prop] ?? spec.description;
  switch (spec.type) {
    case 'enum': {
      const choices = opts.choices ?? (spec.prop === 'mode' ? modeChoices : (spec.values ?? []).map((value) => ({ value, label: value })));
      return prompter.select({ field, message, choices, initial: typeof current === 'string' ? current : undefined });
    }
    case 'boolean':
      return prompter.confirm({ field, message, initial: typeof current === 'boolean' ? current : undefined });
    case 'secret': {
      // The field's own check (what .pgpass can carry) first, then the flow's policy.
      const policy = opts.validate ?? passwordStrength;
      const validate = (typed: string) => {
        const wrong = spec.check?.({ source: 'prompt', value: typed } as never, known);
        return wrong ? `The password ${wrong.message}: ${wrong.fix}.` : policy(typed);
      };
      const value = await prompter.secret({ field, message, confirmMessage: 'Type it again', validate });
      return { source: 'prompt', value } satisfies Secret;
    }
    default: {
      const initial = current === undefined ? undefined : Array.isArray(current) ? current.join(', ') : String(current);
      const answer = await prompter.text({ field, message, initial, validate: textValidator(spec, known, opts.validate, command) });
      // An empty answer to an optional question keeps the default (which may be "none").
      if (answer.trim() === '') return spec.default;
      const checked = checkValue(spec, answer, known);
      if (!checked.ok) throw new BugError(`the prompt accepted an invalid ${field}: ${checked.message}`);
      return checked.value;
    }
  }
}

/** Resolves one answer. `ask` forces a prompt even when a value is known (the admin chose "edit"), using the known value as the initial one. */
export async function resolveAnswer<K extends AnswerKey>(prop: K, sources: AnswerSources, known: Partial<Answers>, opts: ResolveOptions = {}): Promise<Answers[K] | undefined> {
  const spec = fieldByProp.get(prop);
  if (spec === undefined) throw new BugError(`no answers field for the property ${prop}`);
  const given = sources.flags[prop] ?? sources.file[prop];
  if (given !== undefined && !opts.ask) return given;
  const prompter = sources.prompter?.interactive ? sources.prompter : undefined;
  if (prompter === undefined) return given ?? (applyDefaults({})[prop] as Answers[K] | undefined);
  const current = known[prop] ?? given ?? spec.default;
  return (await ask(spec, prompter, current, known, opts, sources.command ?? 'install')) as Answers[K];
}
