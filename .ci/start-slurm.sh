#!/usr/bin/env bash
# Starts (or reuses) a throwaway single-node Slurm cluster for the slurm driver tests and prints
# `export` lines for it; `bash $dir/stop.sh` stops what this script started. Needs root.
set -euo pipefail
dir=${CLOUDPLANE_SLURM_DIR:-/tmp/cloudplane-slurm}
conf=$dir/slurm.conf

print_exports() {
  echo "export SLURM_CONF=$conf"
  echo "export CLOUDPLANE_TEST_SLURM_CONF=$conf"
  echo "# stop with: bash $dir/stop.sh"
}

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Already running from an earlier call: nothing to do.
if alive "$dir/slurmctld.pid" && alive "$dir/slurmd.pid" && SLURM_CONF=$conf sinfo -h >/dev/null 2>&1; then
  print_exports
  exit 0
fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >&2
fi

mkdir -p "$dir/state" "$dir/spool"
free_port() { python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
# Memory Slurm may hand out: all of it minus 512 MB for the daemons and the system.
real_memory=$(awk '/^MemTotal:/ { m = int($2 / 1024) - 512; print (m < 256 ? 256 : m) }' /proc/meminfo)

cat >"$conf" <<EOF
ClusterName=cloudplane-test
SlurmctldHost=localhost
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
# Schedule on every event and at least each second, so test jobs start without waiting.
SchedulerParameters=sched_interval=1,sched_min_interval=0,bf_interval=1,batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
# Finished jobs stay visible to scontrol for 5 minutes (there is no accounting database).
MinJobAge=300
# Cancelled and timed-out jobs are killed within a second of SIGTERM.
KillWait=1
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$real_memory State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF

# munged: reuse a running one, else start ours and remember to stop it.
: >"$dir/munged.pid"
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged
  pgrep -n -u munge -x munged >"$dir/munged.pid"
fi

# Stale daemons from a half-started earlier run would hold the pid files.
for daemon in slurmd slurmctld; do
  if alive "$dir/$daemon.pid"; then kill "$(cat "$dir/$daemon.pid")"; fi
done
SLURM_CONF=$conf /usr/sbin/slurmctld -c
SLURM_CONF=$conf /usr/sbin/slurmd -N localhost

cat >"$dir/stop.sh" <<EOF
#!/usr/bin/env bash
# Stops the test Slurm cluster started by .ci/start-slurm.sh (and munged when it started it).
for pidfile in $dir/slurmd.pid $dir/slurmctld.pid $dir/munged.pid; do
  [ -s "\$pidfile" ] && kill "\$(cat "\$pidfile")" 2>/dev/null
  rm -f "\$pidfile"
done
exit 0
EOF

for _ in $(seq 1 150); do
  if SLURM_CONF=$conf sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle; then
    print_exports
    exit 0
  fi
  sleep 0.2
done
echo "slurm did not become idle within 30 s; see $dir/slurmctld.log and $dir/slurmd.log" >&2
exit 1
