import { resolveAnswer } from '../../answers/resolve.js';
import type { Answers } from '../../answers/types.js';
import { checkAddress, resolveAddress, sameAddress } from '../../system/address.js';
import { InputError } from '../../system/errors.js';
import type { MachineFacts } from '../../system/facts.js';
import type { InstallContext } from '../context.js';

type AddressProp = 'masterIp' | 'slaveIp' | 'balancerIp';
const keyOf: Record<AddressProp, string> = { masterIp: 'master-ip', slaveIp: 'slave-ip', balancerIp: 'balancer-ip' };
const flagOf: Record<AddressProp, string> = { masterIp: '--master-ip', slaveIp: '--slave-ip', balancerIp: '--balancer-ip' };

/** Which address must be this machine's: mode master runs on the master, slave on the slave, 4 on the balancer. */
export function ownAddressProp(mode: Answers['mode'] | undefined): AddressProp | undefined {
  return mode === 'master' ? 'masterIp' : mode === 'slave' ? 'slaveIp' : mode === 'load-balancer' ? 'balancerIp' : undefined;
}

export function isLocal(address: string, facts: Pick<MachineFacts, 'addresses'>): boolean {
  return facts.addresses.some((a) => sameAddress(a.address, address));
}

/** The "not this machine" message, naming the addresses that do exist. */
export function notLocalMessage(prop: AddressProp, address: string, mode: string, facts: Pick<MachineFacts, 'addresses'>): { message: string; fix: string } {
  const list = facts.addresses.map((a) => `${a.address} (${a.interface})`).join(', ') || 'none';
  const other = mode === 'master' ? 'run mode 3 (slave) on the slave server instead' : mode === 'slave' ? 'run mode 2 (master) on the master server instead' : 'run mode 4 on the load balancer itself';
  return {
    message: `${address} is not an address of this machine, and mode ${mode} must run on the ${mode}. This machine's addresses: ${list}`,
    fix: `use one of this machine's addresses for ${keyOf[prop]}, or ${other}`,
  };
}

/**
 * Asks one address (flag > file > prompt), resolves host names, and checks that the role's
 * own address belongs to this machine. Interactive runs ask again on a mistake; unattended
 * runs stop with the field named.
 */
export async function resolveAddressAnswer(ctx: Pick<InstallContext, 'sources' | 'answers' | 'facts' | 'ui' | 'log'>, prop: AddressProp, ask = false): Promise<void> {
  const interactive = ctx.sources.prompter !== undefined;
  const mustBeLocal = ownAddressProp(ctx.answers.mode) === prop;
  let again = ask;
  for (;;) {
    const localCheck = (value: string) => {
      const typed = checkAddress(value);
      return mustBeLocal && typed.ok && typed.kind !== 'hostname' && !isLocal(typed.value, ctx.facts)
        ? notLocalMessage(prop, typed.value, ctx.answers.mode!, ctx.facts).message
        : undefined;
    };
    const given = await resolveAnswer(prop, ctx.sources, ctx.answers, { ask: again, validate: localCheck });
    // The database nodes may have no balancer (yet): then no client address is admitted for one.
    if (given === undefined && prop === 'balancerIp' && !mustBeLocal) return;
    if (given === undefined) throw new InputError(`${keyOf[prop]} is missing.`, [{ field: keyOf[prop], message: 'is required', fix: `pass ${flagOf[prop]} <address> or set ${keyOf[prop]} in the answers file` }]);
    const resolved = await resolveAddress(given);
    let problem: { message: string; fix: string } | undefined;
    if (resolved === undefined) problem = { message: `host name "${given}" does not resolve`, fix: 'use the IP address, or add the name to DNS or /etc/hosts' };
    else if (mustBeLocal && !isLocal(resolved, ctx.facts)) problem = notLocalMessage(prop, resolved, ctx.answers.mode!, ctx.facts);
    else if (prop === 'slaveIp' && ctx.answers.masterIp !== undefined && sameAddress(resolved, ctx.answers.masterIp)) problem = { message: `is the same as master-ip (${resolved})`, fix: 'the slave must be a different server' };
    else if (prop === 'balancerIp' && [ctx.answers.masterIp, ctx.answers.slaveIp].some((a) => a !== undefined && sameAddress(resolved!, a))) problem = { message: `is a database node's address (${resolved})`, fix: 'the load balancer is a third server: give its own address' };
    if (!problem) {
      if (resolved !== given) ctx.log.info(`${keyOf[prop]}: ${given} resolves to ${resolved}`);
      ctx.answers[prop] = resolved!;
      ctx.log.info(`${keyOf[prop]}: ${resolved}`);
      return;
    }
    if (!interactive) throw new InputError(`${keyOf[prop]} is not usable: nothing was changed.`, [{ field: keyOf[prop], ...problem }]);
    ctx.ui.message('error', `${keyOf[prop]}: ${problem.message}. ${problem.fix}.`);
    again = true;
  }
}
