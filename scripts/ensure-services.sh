#!/usr/bin/env bash
# Starts PostgreSQL and Redis at their default local ports when they are not
# listening (the commands this machine kind documents). Idempotent.
set -u
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! listening 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
if ! listening 6379; then
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /tmp --logfile /tmp/assay-redis.log || true
  fi
fi
for i in $(seq 1 30); do listening 5432 && listening 6379 && exit 0; sleep 0.5; done
listening 5432 || echo "PostgreSQL is not listening on 127.0.0.1:5432"
listening 6379 || echo "Redis is not listening on 127.0.0.1:6379"
exit 1
