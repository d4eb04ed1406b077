#!/bin/sh
# Starts one Redis data node or one Sentinel of Huddle's Redis (master `huddle`, two replicas,
# three Sentinels), in Kubernetes (ConfigMap redis-scripts) and in deploy/compose.yaml.
#
#   redis-ha.sh node       a data node: appendonly yes, appendfsync always, password required
#   redis-ha.sh sentinel   a Sentinel: quorum 2, password required
#
# Environment:
#   ANNOUNCE_HOST          this node's name as the others reach it (redis-1.redis, sentinel-0.sentinel…)
#   INITIAL_MASTER         the node that is master on the very first start (redis-0.redis), and
#   INITIAL_MASTER_PORT    its port (REDIS_PORT)
#   SENTINELS              the Sentinels, "host:port host:port …"
#   REDIS_PASSWORD_FILE    the data nodes' password (also the Sentinels' auth-pass)
#   SENTINEL_PASSWORD_FILE the Sentinels' own password
#   MASTER_NAME (huddle), REDIS_PORT (6379), SENTINEL_PORT (26379), DOWN_AFTER_MS (5000),
#   BIND ("* -::*": every address), DATA_DIR (/data: the append-only file), CONF_DIR (/tmp: the generated config, mode 600)
#
# The config is written anew at every start, so no password lies on a disk that outlives the
# process. The master is whatever the Sentinels say it is now (after a failover it is not
# INITIAL_MASTER any more): a node that restarts rejoins as a replica of the current master
# instead of coming back as a second, empty master.
set -eu

mode=${1:?usage: redis-ha.sh node|sentinel}
MASTER_NAME=${MASTER_NAME:-huddle}
REDIS_PORT=${REDIS_PORT:-6379}
SENTINEL_PORT=${SENTINEL_PORT:-26379}
DOWN_AFTER_MS=${DOWN_AFTER_MS:-5000}
INITIAL_MASTER_PORT=${INITIAL_MASTER_PORT:-$REDIS_PORT}
BIND=${BIND:-* -::*}
DATA_DIR=${DATA_DIR:-/data}
CONF_DIR=${CONF_DIR:-/tmp}
password=$(cat "$REDIS_PASSWORD_FILE")
sentinel_password=$(cat "$SENTINEL_PASSWORD_FILE")

# "host port" of the master the first Sentinel that answers names, or nothing.
current_master() {
  for sentinel in $SENTINELS; do
    reply=$(REDISCLI_AUTH=$sentinel_password timeout 3 redis-cli --raw -h "${sentinel%:*}" -p "${sentinel##*:}" \
      SENTINEL get-master-addr-by-name "$MASTER_NAME" 2>/dev/null) || continue
    host=$(printf '%s\n' "$reply" | sed -n 1p)
    port=$(printf '%s\n' "$reply" | sed -n 2p)
    case $port in
      '' | *[!0-9]*) continue ;;
    esac
    printf '%s %s\n' "$host" "$port"
    return 0
  done
  return 0
}

master=$(current_master)
[ -n "$master" ] || master="$INITIAL_MASTER $INITIAL_MASTER_PORT"
umask 077
mkdir -p "$CONF_DIR"

case $mode in
  node)
    conf=$CONF_DIR/redis.conf
    {
      echo "bind $BIND"
      echo "port $REDIS_PORT"
      echo "dir $DATA_DIR"
      echo 'save ""'
      # Every acknowledged write is on disk: a node that restarts comes back with it.
      echo "appendonly yes"
      echo "appendfsync always"
      echo "requirepass $password"
      echo "masterauth $password"
      echo "replica-announce-ip $ANNOUNCE_HOST"
      echo "replica-announce-port $REDIS_PORT"
      if [ "$master" != "$ANNOUNCE_HOST $REDIS_PORT" ]; then
        echo "replicaof $master"
      fi
    } >"$conf"
    exec redis-server "$conf"
    ;;
  sentinel)
    conf=$CONF_DIR/sentinel.conf
    {
      echo "bind $BIND"
      echo "port $SENTINEL_PORT"
      echo "dir $CONF_DIR"
      echo "sentinel resolve-hostnames yes"
      echo "sentinel announce-hostnames yes"
      echo "sentinel announce-ip $ANNOUNCE_HOST"
      echo "sentinel announce-port $SENTINEL_PORT"
      echo "requirepass $sentinel_password"
      echo "sentinel sentinel-pass $sentinel_password"
      echo "sentinel monitor $MASTER_NAME $master 2"
      echo "sentinel auth-pass $MASTER_NAME $password"
      echo "sentinel down-after-milliseconds $MASTER_NAME $DOWN_AFTER_MS"
      echo "sentinel failover-timeout $MASTER_NAME 60000"
      echo "sentinel parallel-syncs $MASTER_NAME 1"
    } >"$conf"
    exec redis-sentinel "$conf"
    ;;
  *)
    echo "redis-ha.sh: unknown mode $mode (node or sentinel)" >&2
    exit 2
    ;;
esac
