# A throwaway PostgreSQL cluster (POSIX sh), for a test after common.sh
# (stopped by its at_exit) or for tests/run.sh (which calls pg_stop):
#   . "$TOP/tests/lib/pg.sh"
#   pg_start || { echo "ok - skipped: $PG_WHY"; t_finish; exit 0; }
# initdb in a fresh folder under $TMPDIR, listening on 127.0.0.1 on a
# free port only, its socket in that folder. Sets PG_URL
# (postgresql://leadgate@127.0.0.1:PORT/leadgate, no password in it: the
# role authenticates with scram-sha-256, its password in
# PG_PASSWORD_FILE) and PG_PORT, PG_DIR. As root the server runs as the
# postgres user (it refuses root); otherwise as the caller.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# pg_as CMD...: run a server program as the cluster's owner.
pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_available() {
	if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
		PG_WHY="no PostgreSQL server in $PG_BIN (apt-get install postgresql)"
		return 1
	fi
	if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
		PG_WHY="no postgres user to run the server as"
		return 1
	fi
	return 0
}

pg_stop() {
	[ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ] &&
		pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
		    >/dev/null 2>&1
	return 0
}

pg_start() {
	pg_available || return 1
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pg.XXXXXX")
	chmod 0755 "$PG_DIR"
	# Every parent must be searchable by the server's user.
	PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
	PG_PASSWORD_FILE=$PG_DIR/client.password
	head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$PG_PASSWORD_FILE"
	chmod 600 "$PG_PASSWORD_FILE"
	cp "$PG_PASSWORD_FILE" "$PG_DIR/pw"
	[ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR" "$PG_DIR/pw"
	if ! pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres \
	    --auth-local=trust --auth-host=scram-sha-256 --no-sync \
	    -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
		PG_WHY="initdb failed: $(tail -n 3 "$PG_DIR/initdb.log")"
		return 1
	fi
	command -v at_exit >/dev/null 2>&1 && at_exit "pg_stop; rm -rf '$PG_DIR'"
	if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
	    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR \
	    -c fsync=off -c max_connections=60" start >/dev/null 2>&1; then
		PG_WHY="the server did not start: $(tail -n 3 "$PG_DIR/log")"
		return 1
	fi
	# psql reads the password from the file: never on a command line.
	if ! pg_as "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres \
	    -d postgres -v ON_ERROR_STOP=1 -q >"$PG_DIR/psql.log" 2>&1 <<SQL
\\set pw \`cat $PG_DIR/pw\`
CREATE ROLE leadgate LOGIN CREATEDB PASSWORD :'pw';
CREATE DATABASE leadgate OWNER leadgate;
SQL
	then
		PG_WHY="cannot make the role: $(tail -n 3 "$PG_DIR/psql.log")"
		return 1
	fi
	rm -f "$PG_DIR/pw"
	PG_URL="postgresql://leadgate@127.0.0.1:$PG_PORT/leadgate"
	return 0
}

# pg_createdb NAME: another empty database owned by leadgate; its URL.
pg_createdb() {
	pg_as "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres \
	    -q -c "CREATE DATABASE \"$1\" OWNER leadgate" >/dev/null 2>&1 &&
		echo "postgresql://leadgate@127.0.0.1:$PG_PORT/$1"
}

# pg_sql SQL: run SQL as the superuser in the leadgate database; rows
# unaligned, |-separated.
pg_sql() {
	pg_as "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d leadgate \
	    -X -A -t -q -c "$1"
}
