# The supervisor of one process, started detached by launch.ts as
#   sh supervise.sh <record dir> <marker prefix> <stdout> <stderr> <timeout seconds|""> <grace seconds> <cgroup dir|"">
#     <keep PWD: 1|""> <setsid> <command...>
# It runs the command in a session of its own to its end, enforces its timeout, and writes the exit record, whatever
# happens to the server that started it. The file names are those of paths.ts.

# Nothing is assigned before the command starts: the shell's variables would reach the command's environment.
if case ${10} in */*) [ -f "${10}" ] && [ -x "${10}" ] ;; *) command -v "${10}" >/dev/null 2>&1 ;; esac; then
  (
    # dash exports PWD even when the caller did not set it; the command gets exactly the environment it was given.
    [ "$8" ] || unset PWD
    shift 8
    exec "$@"
  ) </dev/null >>"$3" 2>>"$4" &
  pid=$!
else
  printf 'cloudplane: cannot start %s: not found\n' "${10}" >>"$4"
  pid=
fi
dir=$1 marker=$2 timeout=$5 grace=$6 cgroup=$7 timer= status=127
PATH=/usr/bin:/bin
IFS=' '

# The command is recorded once setsid made it lead its own process group and exec'd it, as a spawn returns once the
# program runs: signals sent to the group from then on reach the command itself. It cannot be gone meanwhile: until
# this shell waits for it, it stays at least a zombie. The count bounds the wait, should the command call itself setsid.
record_child() {
  spins=0
  while read -r stat <"/proc/$pid/stat" && [ $((spins += 1)) -lt 20000 ]; do
    comm=${stat#*" ("} && comm=${comm%") "*}
    set -- ${stat##*") "}
    [ "$3" = "$pid" ] && [ "$comm" != setsid ] || [ "$1" = Z ] && break
  done
  printf '{"pid":%s,"startTime":"%s"}' "$pid" "${20}" >"$dir/child.json.$$.tmp" && mv -f "$dir/child.json.$$.tmp" "$dir/child.json"
  true >"$marker.started"
}

# Marks the timeout before signalling, so the exit reads as 'timeout'; a paused command needs SIGCONT to act on it.
enforce_timeout() {
  sleeper=
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$timeout" & sleeper=$!
  wait "$sleeper"
  true >"$dir/timed-out"
  kill -s TERM -- "-$pid"
  kill -s CONT -- "-$pid"
  sleep "$grace" & sleeper=$!
  wait "$sleeper"
  kill -s KILL -- "-$pid"
}

if [ "$pid" ]; then
  record_child
  # A stop that came before the pid was known could not reach the command.
  [ -e "$dir/stop-request.json" ] && kill -s KILL -- "-$pid"
  [ "$timeout" ] && { enforce_timeout & timer=$!; }
  wait "$pid"
  status=$?
  # A job ends with its main process: whatever it left running in its group would escape supervision.
  kill -s KILL -- "-$pid" 2>/dev/null
  [ "$timer" ] && kill "$timer" 2>/dev/null
fi

# The shell reports death by signal N as status 128+N; only the standard signals (1-31) are read that way.
code=$status signal=null
if [ "$status" -gt 128 ] && [ "$status" -lt 160 ]; then
  code=null signal="\"SIG$(kill -l $((status - 128)))\""
fi
reason=exited
[ -e "$dir/stop-request.json" ] && reason=killed
[ -e "$dir/timed-out" ] && reason=timeout
date -u "+{\"exitCode\":$code,\"signal\":$signal,\"reason\":\"$reason\",\"finishedAt\":\"%Y-%m-%dT%H:%M:%S.%3NZ\"}" \
  >"$dir/exit.json.$$.tmp" && mv -f "$dir/exit.json.$$.tmp" "$dir/exit.json"
# A cgroup that still holds a leftover process cannot be removed; the kernel keeps it harmlessly.
[ "$cgroup" ] && rmdir "$cgroup" 2>/dev/null
true >"$marker.exited"
