# shellcheck shell=bash
# Local infrastructure for the trunk: installs and starts PostgreSQL and RabbitMQ without systemd, and creates the
# database, role, virtual host and user that the services and tests use. Sourced by scripts/start-trunk,
# scripts/test and .ci/run; every step is idempotent, so running it twice on one machine is fine.

TRUNK_DB_NAME=${TRUNK_DB_NAME:-trunk}
TRUNK_DB_USER=${TRUNK_DB_USER:-trunk}
TRUNK_DB_PASSWORD=${TRUNK_DB_PASSWORD:-trunk}
TRUNK_RABBIT_VHOST=${TRUNK_RABBIT_VHOST:-trunk}
TRUNK_RABBIT_USER=${TRUNK_RABBIT_USER:-trunk}
TRUNK_RABBIT_PASSWORD=${TRUNK_RABBIT_PASSWORD:-trunk}

# Debian packages the trunk and its tests need: the servers, SIP peers for end-to-end tests (SIPp, the baresip
# softphone), the compose validator,
# a headless browser and tshark/text2pcap for CallHistory's page and SIP-trace export tests.
TRUNK_PACKAGES=(postgresql rabbitmq-server sip-tester docker-compose chromium tshark baresip)

# Keep RabbitMQ and its epmd on loopback: the only network these machines have, and the safe default on a laptop.
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

log() {
    printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

ensure_packages() {
    local missing=()
    local package
    for package in "${TRUNK_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    log "installing ${missing[*]}"
    local started=$SECONDS
    as_root apt-get update -qq
    # policy-rc.d may refuse service starts inside containers; we start the servers ourselves below.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    log "installed in $((SECONDS - started)) s"
}

# Runs a command that starts a daemon without the descriptors this shell inherited: a daemon keeps them for its whole
# life, so a lock held by whoever started it (`flock /tmp/trunk-bench.lock bench/sipp/b2bua.sh`, which starts the servers
# when they are down) would stay held after that command ended, and every other flock on it would wait for ever.
without_inherited_fds() {
    (
        local fd
        for fd in /proc/self/fd/*; do
            fd=${fd##*/}
            [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
        done
        "$@"
    )
}

# Stops what a script started in the background and still runs (SIPp peers, a capture, a subshell around one), for its
# EXIT trap: a benchmark stopped early otherwise leaves them running, and a capture left running keeps the descriptors
# it inherited, such as the lock of `flock /tmp/trunk-bench.lock`, so the next benchmark waits for ever.
stop_background_jobs() {
    local job
    for job in $(jobs -p); do
        pkill -P "$job" 2>/dev/null || true
        kill "$job" 2>/dev/null || true
    done
}

postgres_version() {
    ls /etc/postgresql | sort -n | tail -n 1
}

start_postgres() {
    local version
    version=$(postgres_version)
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        log "starting PostgreSQL $version"
        without_inherited_fds as_root pg_ctlcluster "$version" main start
    fi
    local attempt
    for attempt in $(seq 1 60); do
        pg_isready -q -h 127.0.0.1 -p 5432 && break
        [ "$attempt" -eq 60 ] && { log "PostgreSQL did not become ready"; return 1; }
        sleep 0.5
    done
    as_root su postgres -c "psql -q -v ON_ERROR_STOP=1" <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$TRUNK_DB_USER') THEN
        CREATE ROLE "$TRUNK_DB_USER" LOGIN PASSWORD '$TRUNK_DB_PASSWORD' CREATEDB;
    END IF;
END
\$\$;
SELECT 'CREATE DATABASE "$TRUNK_DB_NAME" OWNER "$TRUNK_DB_USER"'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$TRUNK_DB_NAME')\gexec
SQL
    log "PostgreSQL ready: database $TRUNK_DB_NAME, role $TRUNK_DB_USER"
}

rabbit_running() {
    as_root env RABBITMQ_NODE_IP_ADDRESS="$RABBITMQ_NODE_IP_ADDRESS" ERL_EPMD_ADDRESS="$ERL_EPMD_ADDRESS" \
        rabbitmq-diagnostics -q ping >/dev/null 2>&1
}

rabbitmqctl_local() {
    as_root env RABBITMQ_NODE_IP_ADDRESS="$RABBITMQ_NODE_IP_ADDRESS" ERL_EPMD_ADDRESS="$ERL_EPMD_ADDRESS" rabbitmqctl -q "$@"
}

start_rabbitmq() {
    if ! rabbit_running; then
        log "starting RabbitMQ"
        without_inherited_fds as_root env RABBITMQ_NODE_IP_ADDRESS="$RABBITMQ_NODE_IP_ADDRESS" ERL_EPMD_ADDRESS="$ERL_EPMD_ADDRESS" \
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS" rabbitmq-server -detached
        local attempt
        for attempt in $(seq 1 120); do
            rabbit_running && break
            [ "$attempt" -eq 120 ] && { log "RabbitMQ did not answer its ping"; return 1; }
            sleep 0.5
        done
    fi
    # The ping can answer before boot ends: always await start-up. Boot (recovering every virtual host and durable queue)
    # takes 12-20 s here, but a CI machine once did not finish it in 60 s and printed nothing that said why: the wait is
    # longer now, and a boot that does not end shows the end of the node's log.
    if ! rabbitmqctl_local await_startup --timeout "${TRUNK_RABBIT_BOOT_TIMEOUT:-300}"; then
        log "RabbitMQ did not finish booting in ${TRUNK_RABBIT_BOOT_TIMEOUT:-300} s; the end of its log:"
        tail -n 40 "/var/log/rabbitmq/rabbit@$(hostname -s).log" >&2 || true
        return 1
    fi
    # Transfer's saga shards sit behind a consistent-hash exchange (docs/ARCHITECTURE.md, "The Transfer saga").
    as_root env RABBITMQ_NODE_IP_ADDRESS="$RABBITMQ_NODE_IP_ADDRESS" ERL_EPMD_ADDRESS="$ERL_EPMD_ADDRESS" \
        rabbitmq-plugins -q enable rabbitmq_consistent_hash_exchange >/dev/null
    rabbitmqctl_local list_vhosts | grep -qx "$TRUNK_RABBIT_VHOST" || rabbitmqctl_local add_vhost "$TRUNK_RABBIT_VHOST"
    if ! rabbitmqctl_local list_users | awk '{print $1}' | grep -qx "$TRUNK_RABBIT_USER"; then
        rabbitmqctl_local add_user "$TRUNK_RABBIT_USER" "$TRUNK_RABBIT_PASSWORD" >/dev/null
    fi
    rabbitmqctl_local set_permissions -p "$TRUNK_RABBIT_VHOST" "$TRUNK_RABBIT_USER" ".*" ".*" ".*"
    log "RabbitMQ ready: vhost $TRUNK_RABBIT_VHOST, user $TRUNK_RABBIT_USER"
}

# One RabbitMQ virtual host per test project (test-<project>), so test projects running in parallel never
# consume each other's published messages, and one for the host processes of its host tests, whose durable queues
# would otherwise collect the project's test traffic; tests/Trunk.Testing names them the same way.
ensure_test_vhosts() {
    local existing project vhost
    existing=$(rabbitmqctl_local list_vhosts)
    for project in tests/*/*.Tests.csproj; do
        # test-<project> for the tests' own buses, test-<project>-hosts for the host processes they start
        for vhost in "test-$(basename "$project" .csproj)" "test-$(basename "$project" .csproj)-hosts"; do
            grep -qx "$vhost" <<<"$existing" && continue
            rabbitmqctl_local add_vhost "$vhost"
            rabbitmqctl_local set_permissions -p "$vhost" "$TRUNK_RABBIT_USER" ".*" ".*" ".*"
        done
    done
}

# kubectl renders the Kubernetes overlays in the tests (kubectl kustomize). Any kubectl will do: the manifests are
# written for the kustomize of Debian's kubernetes-client (kubectl 1.20, kustomize v2.0.3) as well as current ones, so
# an installed kubectl is kept (a second package would clash over /usr/bin/kubectl) and Debian's is installed if none.
ensure_kubectl() {
    command -v kubectl >/dev/null 2>&1 || ensure_packages kubernetes-client
}

ensure_infrastructure() {
    ensure_packages "$@"
    ensure_kubectl
    start_postgres
    start_rabbitmq
}
