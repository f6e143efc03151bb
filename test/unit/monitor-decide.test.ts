import test from 'ava';
import { failoverVerdict, fenceVerdict, shouldConsult, type Timings } from '../../installers/monitor/decide.js';

const timings: Timings = { intervalMs: 300, checkTimeoutMs: 250, failures: 3, failoverAfterMs: 2500, fenceAfterMs: 1000 };

test('the standby asks the witness only after enough failed looks and long enough unseen', (t) => {
  t.false(shouldConsult({ now: 10_000, lastSeen: 9_000, failuresInARow: 5 }, timings), 'unseen 1 s: a stall shorter than the window');
  t.false(shouldConsult({ now: 10_000, lastSeen: 7_000, failuresInARow: 2 }, timings), 'two failures are not three');
  t.true(shouldConsult({ now: 10_000, lastSeen: 7_500, failuresInARow: 3 }, timings));
});

test('failover only when the witness does not see the primary either and this node\'s network answers', (t) => {
  t.like(failoverVerdict('does not see the primary', 'answers'), { promote: true });
  t.like(failoverVerdict('does not see the primary', 'nothing to ask'), { promote: true });
  t.regex(failoverVerdict('sees the primary', 'answers').why, /fault is between/);
  t.false(failoverVerdict('sees the primary', 'answers').promote, 'the slave cut off from the master only');
  t.false(failoverVerdict('unreachable', 'answers').promote, 'the slave cut off from everything');
  t.false(failoverVerdict('does not see the primary', 'silent').promote, 'the gateway and every ping target silent');
  t.true(failoverVerdict('none configured', 'answers').promote, 'no balancer: the ping targets are the guard');
  t.regex(failoverVerdict('none configured', 'nothing to ask').why, /nothing guards/);
});

test('the primary fences when it sees neither its standby nor the witness, and at once when its peer was promoted', (t) => {
  const base = { now: 10_000, standbyLastSeen: 9_950, witnessLastSeen: 9_950 };
  t.false(fenceVerdict(base, timings).fence);
  t.false(fenceVerdict({ ...base, standbyLastSeen: 1_000 }, timings).fence, 'the standby gone, the witness there: StandbyOffline, no fence');
  t.false(fenceVerdict({ ...base, witnessLastSeen: 1_000 }, timings).fence, 'the witness gone, the standby there');
  t.true(fenceVerdict({ ...base, standbyLastSeen: 8_999, witnessLastSeen: 8_999 }, timings).fence, 'both unseen 1 s');
  t.true(fenceVerdict({ ...base, peerPromoted: 'timeline 3' }, timings).fence);
  t.false(fenceVerdict({ now: 10_000, standbyLastSeen: 1_000 }, timings).fence, 'no witness and nothing to ping: it cannot tell, it stays');
  t.true(fenceVerdict({ now: 10_000, standbyLastSeen: 1_000, networkLastSeen: 1_000 }, timings).fence, 'no witness, the ping targets silent too');
});
