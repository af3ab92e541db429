#!/bin/sh
# Writes redis.conf and sentinel.conf for one pod of the redis StatefulSet, in its init container (the files go to an
# emptyDir, because Sentinel rewrites its own file and Redis rewrites its own on a failover).
# The master is the one the other pods' sentinels name: a failover may have moved it away from redis-0, and a pod
# that comes back must follow it rather than start a second master. When no sentinel answers (the set's first start,
# or every pod restarted at once) the master is pod 0.
set -eu

: "${POD_NAME:?}" "${HEADLESS_SERVICE:?}" "${REDIS_PASSWORD:?}"
MASTER_NAME="${MASTER_NAME:-mymaster}"
REPLICAS="${REPLICAS:-3}"
QUORUM="${QUORUM:-2}"
CONFIG_DIR="${CONFIG_DIR:-/config}"
set_name="${POD_NAME%-*}"
self="$POD_NAME.$HEADLESS_SERVICE"

# Redis reads a double-quoted string with backslash escapes, so any password survives once \ and " are escaped.
password=$(printf '%s' "$REDIS_PASSWORD" | sed 's/\\/\\\\/g; s/"/\\"/g')

master=""
i=0
while [ "$i" -lt "$REPLICAS" ]; do
  peer="$set_name-$i.$HEADLESS_SERVICE"
  i=$((i + 1))
  [ "$peer" = "$self" ] && continue
  # redis-cli takes the password from REDISCLI_AUTH. A sentinel that is down, or knows no master yet, gives nothing usable.
  answer=$(timeout 5 redis-cli --raw -h "$peer" -p 26379 SENTINEL get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | head -n 1) || answer=""
  case "$answer" in
    "" | *ERR* | *NOAUTH* | *rror*) echo "no master from the sentinel on $peer" ;;
    *) master="$answer"; echo "the sentinel on $peer names $master as the master"; break ;;
  esac
done
if [ -z "$master" ]; then
  master="$set_name-0.$HEADLESS_SERVICE"
  echo "no sentinel named a master: $master"
fi

cat > "$CONFIG_DIR/redis.conf" <<CONF
port 6379
bind * -::*
dir /data
# A cache: AOF fsynced every second, bounded memory, least recently used keys go first.
appendonly yes
appendfsync everysec
maxmemory 192mb
maxmemory-policy allkeys-lru
requirepass "$password"
masterauth "$password"
# Replicas are known by their stable DNS name, not by a pod IP that changes on every restart.
replica-announce-ip $self
replica-announce-port 6379
CONF
if [ "$master" != "$self" ]; then
  echo "replicaof $master 6379" >> "$CONFIG_DIR/redis.conf"
fi

cat > "$CONFIG_DIR/sentinel.conf" <<CONF
port 26379
bind * -::*
dir $CONFIG_DIR
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip $self
sentinel announce-port 26379
requirepass "$password"
sentinel sentinel-pass "$password"
sentinel monitor $MASTER_NAME $master 6379 $QUORUM
sentinel auth-pass $MASTER_NAME "$password"
sentinel down-after-milliseconds $MASTER_NAME 5000
sentinel failover-timeout $MASTER_NAME 60000
sentinel parallel-syncs $MASTER_NAME 1
CONF
echo "wrote $CONFIG_DIR/redis.conf and $CONFIG_DIR/sentinel.conf for $self"
