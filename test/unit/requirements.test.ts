import test from 'ava';
import { loadFacts } from '../../src/system/facts.js';
import { requirementRows, unattendedHowToGoOn } from '../../src/flows/requirements.js';

const seed = { minRamGb: 4, minCores: 2, minDiskGb: 100, ignoreRequirements: false };
const machine = (name: string) => loadFacts(new URL(`../fixtures/machines/${name}.json`, import.meta.url).pathname);
const verdicts = (rows: ReturnType<typeof requirementRows>) => Object.fromEntries(rows.map((r) => [r.name.split(' (')[0], r.verdict]));

test('a good server passes every row of the seed minimums (4 GB, 2 cores, 100 GB)', (t) => {
  const rows = requirementRows(machine('good-server'), seed, { needRoot: true });
  t.false(rows.some((r) => r.verdict === 'fail'));
  t.is(verdicts(rows)['RAM'], 'ok');
});

test('a 2 GB VM fails RAM, cores and disk, each with a fix', (t) => {
  const rows = requirementRows(machine('small-vm-2gb'), seed, { needRoot: true, howToGoOn: unattendedHowToGoOn });
  const v = verdicts(rows);
  t.is(v['RAM'], 'fail');
  t.is(v['CPU cores'], 'fail');
  t.is(v['Free disk'], 'fail');
  for (const row of rows.filter((r) => r.verdict === 'fail')) t.regex(row.fix!, /ignore-requirements/);
  t.regex(rows[0]!.measured, /2\.0 GB/);
});

test('--ignore-requirements turns the shortfalls into warnings, whose fixes never say to pass it', (t) => {
  const rows = requirementRows(machine('small-vm-2gb'), { ...seed, ignoreRequirements: true }, { needRoot: true, howToGoOn: unattendedHowToGoOn });
  t.is(verdicts(rows)['RAM'], 'warn');
  t.false(rows.some((r) => r.verdict === 'fail'));
  for (const row of rows) t.notRegex(row.fix ?? '', /ignore/);
});

test('a wizard run gets fixes without the flag: it offers "go on anyway" instead', (t) => {
  const rows = requirementRows(machine('small-vm-2gb'), seed, { needRoot: true });
  t.regex(rows[0]!.fix!, /add memory/);
  for (const row of rows) t.notRegex(row.fix ?? '', /ignore/);
});

test('an unsupported OS fails even with --ignore-requirements', (t) => {
  const rows = requirementRows(machine('unsupported-os'), { ...seed, ignoreRequirements: true }, { needRoot: true });
  t.is(verdicts(rows)['Operating system'], 'fail');
});

test('answers can lower the minimums', (t) => {
  const rows = requirementRows(machine('small-vm-2gb'), { minRamGb: 1, minCores: 1, minDiskGb: 10, ignoreRequirements: false }, { needRoot: true });
  t.false(rows.some((r) => r.verdict === 'fail'));
});

test('not root fails only when the run will change the machine', (t) => {
  const facts = { ...machine('good-server'), isRoot: false };
  t.is(verdicts(requirementRows(facts, seed, { needRoot: true }))['Root privileges'], 'fail');
  t.is(verdicts(requirementRows(facts, seed, { needRoot: false }))['Root privileges'], 'info');
});
