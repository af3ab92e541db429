# Sourced by bench/run.sh and bench/profile.sh: CPU time of processes from /proc.

# Clock ticks (utime + stime) the given processes have used; fails, as a measurement must, if one of them is gone.
cpu_ticks() { local pid; for pid in "$@"; do cat "/proc/$pid/stat"; done | awk '{s += $14 + $15} END {print s}'; }

# Waits (at most 20 s) until the given processes together spend under 5 % of a core for two seconds in a row; sets
# QUIET_WAITED (seconds). After a warm-up, tiered compilation recompiles the hot methods in the background
# (0.6 s of CPU for the API after 5 s of wrk): measured before that is done, a target runs slower code, and the JIT's
# CPU lands on whichever target runs meanwhile.
wait_cpu_quiet() { # pid...
  local before after quiet=0
  QUIET_WAITED=0
  before=$(cpu_ticks "$@")
  while [ "$QUIET_WAITED" -lt 20 ] && [ "$quiet" -lt 2 ]; do
    sleep 1; QUIET_WAITED=$((QUIET_WAITED + 1)); after=$(cpu_ticks "$@")
    if [ $((after - before)) -le 5 ]; then quiet=$((quiet + 1)); else quiet=0; fi
    before=$after
  done
}
