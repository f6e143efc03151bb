/** The part of --help that teaches: the flow, examples, precedence and exit codes. */
export const helpEpilogue = `
How it works:
  Run it on each server: first the master (mode 2), then the slave (mode 3).
  The wizard checks the machine (RAM, cores, disk, OS, root), asks for the master
  and slave addresses, pings them, shows the plan and only then changes anything.

Examples:
  sudo npx ha-install                          full-screen wizard
  sudo npx ha-install --plain                  the same, line by line
  sudo npx ha-install --dry-run --mode master --master-ip 192.168.0.137 --slave-ip 192.168.0.118
  ha-install answers init answers.yaml         write a commented answers template
  ha-install answers validate answers.yaml     check it (no root needed)
  sudo ha-install --answers answers.yaml       unattended install
  sudo ha-install status                       replication health (exit 0 = healthy)
  sudo ha-install demo                         a local master+slave pair on 127.0.0.11/12

Answers come from, in order: a flag, the answers file, the wizard, the default.
Secrets (the backup password) are never flags: the wizard asks for them, or the
answers file says env:NAME or file:PATH.

Exit codes:
  0    done (status: the pair is healthy)
  1    failed while changing the machine (status: unhealthy); see the log
  2    invalid input or refused by a check: nothing was changed
  130  cancelled (Ctrl-C, or you answered no)

Files: log /var/log/ha-install/ha-install-<time>.log, journal and backups of every
changed file under /var/lib/ha-install.
`;
