import type { Answers } from '../answers/types.js';
import type { MachineFacts } from '../system/facts.js';
import type { CheckRow } from '../prompts/prompter.js';
import { asRoot } from '../system/invocation.js';

const GB = 1024 ** 3;

/** OS releases the installers are written and tested for. */
const supported: Record<string, string[]> = {
  debian: ['11', '12', '13'],
  ubuntu: ['20.04', '22.04', '24.04'],
  rhel: ['8', '9'],
  rocky: ['8', '9'],
  almalinux: ['8', '9'],
  centos: ['8', '9'],
};

const gb = (bytes: number) => `${(bytes / GB).toFixed(1)} GB`;

/** How a run that cannot ask goes on below the minimum. */
export const unattendedHowToGoOn = 'or pass --ignore-requirements (answers file: requirements.ignore: true) to go on anyway';

/** The rows an admin may choose to go on below: RAM, cores and disk, each about its minimum's key. */
export const isBelowMinimum = (row: CheckRow) => row.verdict !== 'ok' && row.field?.startsWith('requirements.min-') === true;

/**
 * Measured vs required, one verdict per row. Below the minimum is a failure unless the admin
 * chose to go on (--ignore-requirements, requirements.ignore, or "go on anyway" in the wizard):
 * then a warning, and the log says so. An unsupported OS and a missing root privilege cannot be
 * ignored: the install would break half-way. `howToGoOn` ends the fix of a row below the
 * minimum, for a run that cannot ask; never when the run already goes on.
 */
export function requirementRows(
  facts: MachineFacts,
  answers: Pick<Answers, 'minRamGb' | 'minCores' | 'minDiskGb' | 'ignoreRequirements'>,
  options: { needRoot: boolean; howToGoOn?: string },
): CheckRow[] {
  const below = answers.ignoreRequirements ? 'warn' : 'fail';
  const howToGoOn = answers.ignoreRequirements ? undefined : options.howToGoOn;
  const fix = (what: string) => (howToGoOn ? `${what}, ${howToGoOn}` : what);
  const release = supported[facts.os.id]?.some((r) => facts.os.release === r || facts.os.release.startsWith(`${r}.`));
  const rows: CheckRow[] = [
    {
      name: 'RAM',
      field: 'requirements.min-ram-gb',
      measured: gb(facts.memoryBytes),
      required: `${answers.minRamGb} GB`,
      verdict: facts.memoryBytes >= answers.minRamGb * GB * 0.95 ? 'ok' : below,
      fix: fix('add memory to this server'),
    },
    {
      name: 'CPU cores',
      field: 'requirements.min-cores',
      measured: String(facts.cores),
      required: String(answers.minCores),
      verdict: facts.cores >= answers.minCores ? 'ok' : below,
      fix: fix('give this server more cores'),
    },
    {
      name: `Free disk (${facts.disk.path})`,
      field: 'requirements.min-disk-gb',
      measured: `${gb(facts.disk.freeBytes)} free on ${facts.disk.mount}`,
      required: `${answers.minDiskGb} GB`,
      verdict: facts.disk.freeBytes >= answers.minDiskGb * GB ? 'ok' : below,
      fix: fix(`free space or mount a larger disk at ${facts.disk.path}`),
    },
    {
      name: 'Operating system',
      measured: `${facts.os.distro} ${facts.os.release}`.trim(),
      required: 'Debian, Ubuntu, RHEL 8-9',
      verdict: facts.os.family !== 'unsupported' && release ? 'ok' : facts.os.family !== 'unsupported' ? 'warn' : 'fail',
      fix: facts.os.family === 'unsupported' ? 'install on a Debian, Ubuntu or RHEL-family server' : 'this release is untested: it may work',
    },
    {
      name: 'Root privileges',
      measured: facts.isRoot ? 'root' : 'not root',
      required: options.needRoot ? 'root' : 'not needed for a dry run',
      verdict: facts.isRoot ? 'ok' : options.needRoot ? 'fail' : 'info',
      fix: `run it as root: ${asRoot(process.argv.slice(2))}`,
    },
    {
      name: 'Init system',
      measured: facts.init === 'systemd' ? 'systemd' : 'none (services run under pg_ctlcluster/pg_ctl)',
      required: 'systemd or none',
      verdict: 'info',
    },
  ];
  return rows.map((row) => (row.verdict === 'ok' || row.verdict === 'info' ? { ...row, fix: undefined } : row));
}
