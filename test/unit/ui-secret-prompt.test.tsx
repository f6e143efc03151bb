import test from 'ava';
import { keys, pending, type, waitForFrame, withInk } from './helpers/fake-terminal.js';

const password = 'Sw0rdfish!';

test('secret: masked while typing, confirmed, and masked in the transcript', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = pending(ui.secret({ field: 'replication-password', message: 'Replication password', confirmMessage: 'Type it again' }));
    await waitForFrame(stdout, (frame) => frame.includes('Replication password'));
    await type(stdin, password);
    await waitForFrame(stdout, (frame) => frame.includes('*'.repeat(password.length)));
    await type(stdin, keys.enter);
    await waitForFrame(stdout, (frame) => frame.includes('Type it again'));
    await type(stdin, password, keys.enter);
    t.is(await answer, password);
    await waitForFrame(stdout, (frame) => frame.includes('✔ Replication password ********'));
    t.false(stdout.allFrames().includes(password), 'no frame ever shows the secret');
  });
});

test('secret: two different entries are refused and asked again', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = pending(ui.secret({ field: 'replication-password', message: 'Replication password', confirmMessage: 'Type it again' }));
    await waitForFrame(stdout, (frame) => frame.includes('Replication password'));
    await type(stdin, password, keys.enter);
    await waitForFrame(stdout, (frame) => frame.includes('Type it again'));
    await type(stdin, 'something else', keys.enter);
    const frame = await waitForFrame(stdout, (current) => current.includes('The two entries differ'));
    t.regex(frame, /\? Replication password/, 'asks the first question again');
    await type(stdin, password, keys.enter);
    await waitForFrame(stdout, (current) => current.includes('Type it again'));
    await type(stdin, password, keys.enter);
    t.is(await answer, password);
    t.false(stdout.allFrames().includes(password));
    t.false(stdout.allFrames().includes('something else'));
  });
});

test('secret: validation applies to the first entry', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = pending(
      ui.secret({
        field: 'replication-password',
        message: 'Replication password',
        validate: (value) => (value.length < 8 ? 'use at least 8 characters' : undefined),
      }),
    );
    await waitForFrame(stdout, (frame) => frame.includes('Replication password'));
    await type(stdin, 'short');
    await waitForFrame(stdout, (frame) => frame.includes('use at least 8 characters'));
    await type(stdin, keys.enter, 'er-and-longer', keys.enter);
    t.is(await answer, 'shorter-and-longer');
  });
});
