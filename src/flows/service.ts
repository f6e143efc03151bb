import { existsSync } from 'node:fs';
import type { Plan, ServiceAction } from '../engine/actions.js';
import { InputError } from '../system/errors.js';
import { runtimeFor } from '../system/runtime.js';
import { removeServiceAction, serviceCommand } from '../../installers/services/plan.js';
import { installedServices, unitPath } from '../../installers/services/spec.js';
import { runtimeStep } from '../../installers/postgresql/guard-plan.js';
import { applyStep, confirmStep, planStep } from './common-steps.js';
import type { Flow, FlowContext } from './context.js';

/**
 * `ha-install service start|stop|restart|remove NAME... | --all`: ha-install's own services,
 * through the same runner as every command (plan, dry run, journal, log). Whatever installed a
 * service, this stops or removes it under either model; a re-run of the install that put it
 * there starts it again.
 */
export type ServiceCommandOp = 'start' | 'stop' | 'restart' | 'remove';

interface ServiceContext extends FlowContext {
  services?: string[];
}

/** The model a service runs under here: its unit file says systemd, whatever init the facts report now. */
const initOf = (name: string, ctx: FlowContext): 'systemd' | 'none' => (ctx.facts.init === 'systemd' && existsSync(unitPath(name)) ? 'systemd' : 'none');

export function serviceFlow(op: ServiceCommandOp, names: string[], all: boolean): Flow<ServiceContext> {
  return {
    command: 'service',
    title: `ha-install service ${op}`,
    needsRoot: true,
    doneTitle: `ha-install service ${op}: done`,
    extend: (ctx) => ctx,
    steps: [
      {
        id: 'services',
        title: 'The services',
        run: async (ctx) => {
          const installed = installedServices();
          const unknown = names.filter((n) => !installed.includes(n));
          if ((names.length === 0 && !all) || unknown.length > 0) {
            const list = installed.length > 0 ? installed.join(', ') : 'none';
            throw new InputError(unknown.length > 0 ? `No such ha-install service: ${unknown.join(', ')}. Nothing was changed.` : 'Which services? Nothing was changed.', [
              { field: 'NAME', message: `the services installed here: ${list}`, fix: `name one or more, or pass --all (see: ha-install service list)` },
            ]);
          }
          ctx.services = all ? installed : names;
          ctx.log.info(`services to ${op}: ${ctx.services.join(', ') || 'none'}`);
        },
      },
      planStep(async (ctx): Promise<Plan> => {
        const runtime = runtimeFor();
        const actions = (ctx.services ?? []).map((name): ServiceAction => {
          const init = initOf(name, ctx);
          if (op === 'remove') return removeServiceAction(name, init, runtime);
          const ref = { kind: 'ha-install' as const, name, init };
          return { kind: 'service', id: `service.${name}.${op}`, title: `${op[0]!.toUpperCase()}${op.slice(1)} the service ${name}`, service: ref, op, command: serviceCommand(ref, op, runtime) };
        });
        // A supervisor is started from this build's runtime copy: it must be there first.
        const first = op === 'start' || op === 'restart' ? [runtimeStep(runtime)] : [];
        return { title: `ha-install service ${op} on ${ctx.facts.hostname}`, actions: actions.length > 0 ? [...first, ...actions] : [], notes: actions.length === 0 ? ['no ha-install service is installed here'] : [] };
      }),
      confirmStep,
      applyStep(`Service ${op}`),
    ],
  };
}
