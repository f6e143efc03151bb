/** The part of --help that teaches: the flow, examples, precedence and exit codes. */
export const helpEpilogue = `
How it works:
  Run it on each server: first the master (mode 2), then the slave (mode 3), then
  the load balancer (mode 4: HAProxy in front, sending clients to the primary).
  The wizard checks the machine (RAM, cores, disk, OS, root), asks for the master
  and slave addresses, pings them, shows the plan and only then changes anything.
  When the master dies: \`promote\` on the slave, later \`restore-master\` on the old
  master. Who is primary is always read live from PostgreSQL (\`status\`).

Examples:
  sudo npx ha-install                          full-screen wizard
  sudo npx ha-install --plain                  the same, line by line
  sudo npx ha-install --dry-run --mode master --master-ip 192.168.0.137 --slave-ip 192.168.0.118
  ha-install answers init answers.yaml         write a commented answers template
  ha-install answers validate answers.yaml     check it (no root needed)
  sudo ha-install --answers answers.yaml       unattended install
  sudo ha-install status                       both nodes' live roles (exit 0 = healthy)
  sudo ha-install promote                      on the slave, when the master is dead
  sudo ha-install restore-master --master-ip 192.168.0.118
                                               on the old master: back as the standby
  sudo ha-install switchover                   swap the roles (either node), nothing lost
  sudo ha-install teardown --keep-data         back to standalone, keeping the data
  sudo ha-install demo                         a local pair on 127.0.0.11/12, HAProxy on 127.0.0.10
  sudo ha-install --mode 4 --master-ip 192.168.0.137 --slave-ip 192.168.0.118 --balancer-ip 192.168.0.140
                                               the load balancer, on 192.168.0.140
  ha-install service list                      the health agent (and HAProxy) as services

Answers come from, in order: a flag, the answers file, the wizard, the default.
Secrets (the backup password) are never flags: the wizard asks for them, or the
answers file says env:NAME or file:PATH.

Exit codes:
  0    done (status: the pair is healthy; restore-master: already streaming)
  1    failed while changing the machine (status: unhealthy); see the log
  2    invalid input or refused by a check: nothing was changed
  130  cancelled (Ctrl-C, or you answered no)

Files: log /var/log/ha-install/ha-install-<time>.log, journal and backups of every
changed file under /var/lib/ha-install; services in /etc/ha-install/services.
`;

export const promoteHelp = `
Run it on the slave when the master is dead (with failover.automatic, the default, the
slave's failover monitor runs this same promote by itself). Before any change it checks that this
node is a standby of the pair and that the master does not answer as a writable
primary (if it does, a promote would make two primaries: use ha-install switchover
instead, or --force --reason TEXT, which the log and the pair's history record).
WAL received but not yet replayed is shown and let finish first.
Then: promote, wait until writable, CHECKPOINT (so the old master can rewind onto
this node), create the slot for the old master, record the event. It ends with
where to point clients and the restore-master command for the old master.
`;

export const restoreHelp = `
Run it on the old master, once the slave has been promoted. It asks for the new
master's address (--master-ip) and the backup password; everything else it finds.
Before any change it proves: the new master answers, is a primary, has this
pair's system identifier, is on a newer timeline; the replication login works.
--dry-run shows this node's timeline and last WAL position, where the new
master's timeline forked from it, and how many bytes of WAL (commits) exist only
here and will be discarded; then the plan.
Apply: stop PostgreSQL cleanly, pg_rewind from the new master (or, when that is
impossible or fails, or with --clone, a full clone; the old data directory is
moved aside, never deleted), start as a hot standby, prove it with a marker row.
`;

export const switchoverHelp = `
Run it on either node of a healthy pair. Before any change it checks: both
nodes answer, one primary and one standby of the same system, the standby
streams and is at most recovery.max-lag-mb behind (default 16), and the peer
lets this node do what it needs there (promote it, or ask it to step down).
--dry-run prints the steps for both nodes. No password is asked: the one the
install stored is used.
On the master: stop cleanly (its last WAL is shipped), prove with
pg_controldata that the standby replayed past the shutdown checkpoint, promote
the standby, start this node as its standby, prove streaming with a marker
row, record the event.
On the standby: ask the master to step down (it restarts read-only), prove the
same from its checkpoint, promote this node, prove the old master streams.
If the run on the master fails before the promote, it is undone (this node is
the primary again); after that, or after an interruption, run it again: it
resumes.
Exit codes: 0 switched, 1 failed or undone (see the message), 2 refused, 130
Ctrl-C.
`;

export const teardownHelp = `
Run it on each node: it removes what the install recorded (the inventory in
the state folder) and nothing else: the pg_hba block, the start guard, the
.pgpass lines, the switchover function, the standby settings of the conf.d
file, the slot and the replication role (--keep-role keeps it), synchronous
replication.
On the standby the default is to stop it, move its data directory aside (never
deleted) and start an empty server in its place; --keep-data promotes it to a
standalone server with its data instead. Every removed file is backed up
first.
Afterwards both servers start on their own and \`status\` says standalone; a
second teardown finds nothing to do (exit 0).
`;
