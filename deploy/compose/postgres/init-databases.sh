#!/bin/sh
# First start of the PostgreSQL container only (docker-entrypoint-initdb.d): one role and one
# database per service. The passwords come from the environment (deploy/compose/.env).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v pathway_pw="$PATHWAY_DB_PASSWORD" -v notifications_pw="$NOTIFICATIONS_DB_PASSWORD" <<'SQL'
CREATE ROLE pathway LOGIN PASSWORD :'pathway_pw';
CREATE DATABASE pathway OWNER pathway;
CREATE ROLE notifications LOGIN PASSWORD :'notifications_pw';
CREATE DATABASE notifications OWNER notifications;
REVOKE ALL ON DATABASE pathway FROM PUBLIC;
REVOKE ALL ON DATABASE notifications FROM PUBLIC;
SQL
