import type { Action, FileAction, OwnServiceRef, ServiceAction } from '../../src/engine/actions.js';
import type { Runtime } from '../../src/system/runtime.js';
import { renderTemplate, shippedTemplate } from '../../src/system/template.js';
import { specContent, specPath, unitName, unitPath, type ServiceSpec } from './spec.js';

/**
 * A service as plan actions: its registry entry (and, with systemd, its unit) as files the
 * dry run shows with a diff, then one `start` that starts it when it does not run and
 * restarts it only when this run changed its definition or one of `restartOn` (its
 * configuration file). A re-run with everything in place changes nothing.
 */

/** An argv word as systemd's ExecStart= reads it: `%` is a specifier, `$` a variable, blanks split words. */
export function systemdWord(word: string): string {
  const escaped = word.replaceAll('%', '%%').replaceAll('$', '$$$$');
  return /^[\w@%+=:,./$-]+$/.test(escaped) ? escaped : `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function renderUnit(spec: ServiceSpec): string {
  return renderTemplate(
    shippedTemplate('systemd/ha-install.service'),
    {
      name: spec.name,
      description: spec.description.replaceAll('\n', ' '),
      after: (spec.after ?? []).join(' '),
      user: spec.user,
      exec_start: spec.argv.map(systemdWord).join(' '),
      reload_signal: spec.reloadSignal?.replace(/^SIG/, ''),
    },
    'templates/systemd/ha-install.service',
  );
}

export function ownServiceRef(spec: ServiceSpec, init: 'systemd' | 'none'): OwnServiceRef {
  return { kind: 'ha-install', name: spec.name, init, ...(spec.ready ? { ready: spec.ready } : {}), ...(spec.reloadSignal ? { reloadSignal: spec.reloadSignal } : {}) };
}

/** What the dry run shows for an operation, and what an admin would type for it. */
export function serviceCommand(ref: OwnServiceRef, op: 'start' | 'stop' | 'restart' | 'reload' | 'remove', runtime: Runtime): string[] {
  if (ref.init === 'systemd') {
    const unit = unitName(ref.name);
    return op === 'start' ? ['systemctl', 'enable', '--now', unit] : op === 'remove' ? ['systemctl', 'disable', '--now', unit] : ['systemctl', op, unit];
  }
  // Without systemd, the supervisor is what runs; every other operation is ha-install's own command.
  return op === 'start' ? [...runtime.argv, 'supervise', ref.name] : [...runtime.argv, 'service', op, ref.name];
}

export interface ServicePlanOptions {
  init: 'systemd' | 'none';
  runtime: Runtime;
  /** Action ids of files the service reads at start: when one changes, the service restarts (or reloads). */
  restartOn?: string[];
  /** How a change of `restartOn` is made live: HAProxy reloads without dropping connections. */
  then?: 'restart' | 'reload';
}

export function serviceActions(spec: ServiceSpec, options: ServicePlanOptions): Action[] {
  const ref = ownServiceRef(spec, options.init);
  const registry: FileAction = {
    kind: 'file',
    id: `service.${spec.name}.spec`,
    title: `Register the service ${spec.name} in ${specPath(spec.name)}`,
    path: specPath(spec.name),
    content: specContent(spec),
    mode: 0o644,
  };
  const unit: FileAction | undefined =
    options.init === 'systemd'
      ? { kind: 'file', id: `service.${spec.name}.unit`, title: `Write the systemd unit ${unitPath(spec.name)}`, path: unitPath(spec.name), content: renderUnit(spec), mode: 0o644 }
      : undefined;
  const definition = [registry.id, ...(unit ? [unit.id] : [])];
  const start: ServiceAction = {
    kind: 'service',
    id: `service.${spec.name}.start`,
    title: options.init === 'systemd' ? `Enable and start ${unitName(spec.name)} (Restart=always)` : `Start ${spec.name} under ha-install's supervisor (kept running, with back-off)`,
    service: ref,
    op: 'start',
    command: serviceCommand(ref, 'start', options.runtime),
    // A changed definition (argv, user) always needs a restart; a changed configuration may only need a reload.
    ifChanged: [{ ids: definition, then: 'restart' }, ...(options.restartOn?.length ? [{ ids: options.restartOn, then: options.then ?? 'restart' }] : [])],
    // teardown stops and removes it (with its unit and registry entry) from this record.
    creates: [{ kind: 'service', name: spec.name, ...(unit ? { unitFile: unit.path } : {}) }],
  };
  return [registry, ...(unit ? [unit] : []), start];
}

/** Stops and removes a service: its unit and registry entry are backed up, then deleted. */
export function removeServiceAction(name: string, init: 'systemd' | 'none', runtime: Runtime): ServiceAction {
  const ref: OwnServiceRef = { kind: 'ha-install', name, init };
  return { kind: 'service', id: `service.${name}.remove`, title: `Stop and remove the service ${name}`, service: ref, op: 'remove', command: serviceCommand(ref, 'remove', runtime) };
}
