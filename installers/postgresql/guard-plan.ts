import { settingsFileAction, type Action, type BlockAction, type FileAction, type StepAction } from '../../src/engine/actions.js';
import { describeCommand } from '../../src/system/exec.js';
import { installRuntime, runtimeFor, type Runtime } from '../../src/system/runtime.js';
import { binDir, type Cluster, type ClusterRef } from './cluster.js';
import { clusterRef, nodes, pgpassPath, type PostgresqlContext } from './context.js';
import type { GuardConfig } from './guard.js';

/**
 * The start guard: an old master that is started again (boot, `systemctl start
 * postgresql@...`, `pg_ctlcluster ... start`) must not take a write when its peer has been
 * promoted. All of those go through pg_ctlcluster, which hands pg_ctl the options of the
 * cluster's pg_ctl.conf; `-p` there makes pg_ctl run our wrapper instead of postgres. The
 * wrapper runs `ha-install guard` (which asks the peer and, if the peer is a primary of the
 * pair, writes standby.signal: the node comes up a read-only standby and says why in the
 * server log), then execs the real postgres, keeping its pid, as pg_ctl expects.
 */

export const guardScriptPath = (ref: ClusterRef) => `/etc/postgresql/${ref.version}/${ref.name}/ha-install-postgres`;
export const guardConfigPath = (ref: ClusterRef) => `/etc/postgresql/${ref.version}/${ref.name}/ha-install-guard.json`;
export const pgCtlConfPath = (ref: ClusterRef) => `/etc/postgresql/${ref.version}/${ref.name}/pg_ctl.conf`;
export const GUARD_MARKER = 'ha-install guard';

const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

/** The wrapper pg_ctl runs. If the guard itself fails, the node starts as a standby: no write is safer than a second primary. */
export function guardScript(ref: ClusterRef, dataDir: string, runtime: Runtime): string {
  const signal = shellQuote(`${dataDir}/standby.signal`);
  return `#!/bin/sh
# Written by ha-install: the start guard of PostgreSQL ${ref.version}/${ref.name}. Its pg_ctl.conf
# makes pg_ctl run this instead of postgres; it asks the peer whether this node may start as a
# primary. Its output goes to the server log. See \`ha-install status\`.
${runtime.argv.map(shellQuote).join(' ')} guard ${shellQuote(guardConfigPath(ref))} || {
  echo "ha-install guard failed (exit $?): this node starts as a read-only standby, to be safe" >&2
  [ -e ${signal} ] || echo '# ha-install fence: the start guard failed; see the lines above' > ${signal}
}
exec ${shellQuote(`${binDir(ref.version)}/postgres`)} "$@"
`;
}

export function guardConfig(ctx: PostgresqlContext, cluster: Cluster, runtime: Runtime): GuardConfig {
  const { self, peer } = nodes(ctx.answers);
  return {
    cluster: `${cluster.version}/${cluster.name}`,
    dataDir: cluster.dataDir,
    binDir: binDir(cluster.version),
    self,
    peer: { host: peer, port: ctx.answers.pgPort },
    user: ctx.answers.replicationUser,
    passfile: pgpassPath(ctx),
    connectTimeoutMs: 2000,
    startingWaitSeconds: 10,
    restore: describeCommand([...runtime.argv, 'restore-master', '--master-ip', peer, ...(ctx.stateDir && ctx.stateDir !== '/var/lib/ha-install' ? ['--state-dir', ctx.stateDir] : [])]),
  };
}

export function runtimeStep(runtime: Runtime): StepAction {
  return {
    kind: 'step',
    id: 'ha-install.runtime',
    title: `Install this ha-install build in ${runtime.dir}`,
    detail: ['bin/, dist/, templates/ and package.json of this build, copied once; the start guard runs it from there'],
    creates: [{ kind: 'runtime', dir: runtime.dir }],
    run: async () => installRuntime(runtime),
  };
}

export async function guardActions(ctx: PostgresqlContext, cluster: Cluster): Promise<Action[]> {
  const ref = clusterRef(ctx);
  const runtime = runtimeFor();
  const config = settingsFileAction('postgresql.guard-config', `Write the start guard's settings ${guardConfigPath(ref)}`, guardConfigPath(ref), guardConfig(ctx, cluster, runtime));
  const script: FileAction = {
    kind: 'file',
    id: 'postgresql.guard-script',
    title: `Write the start guard ${guardScriptPath(ref)}`,
    path: guardScriptPath(ref),
    content: guardScript(ref, cluster.dataDir, runtime),
    mode: 0o755,
    creates: [{ kind: 'file', path: guardScriptPath(ref) }],
  };
  const pgCtl: BlockAction = {
    kind: 'block',
    id: 'postgresql.guard-pg-ctl',
    title: `Make pg_ctl start PostgreSQL through the guard: ${pgCtlConfPath(ref)}`,
    path: pgCtlConfPath(ref),
    marker: GUARD_MARKER,
    content: `pg_ctl_options = '-p ${guardScriptPath(ref)}'`,
    position: 'bottom',
    creates: [{ kind: 'block', path: pgCtlConfPath(ref), marker: GUARD_MARKER }],
  };
  return [runtimeStep(runtime), config, script, pgCtl];
}
