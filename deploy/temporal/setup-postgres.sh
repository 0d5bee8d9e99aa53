#!/bin/sh
# Brings Temporal's two databases (history and visibility) into existence and up to date.
# Runs before the Temporal server at every start; each step is safe to repeat.
set -eu

sql() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$DB_PORT" "$@"
}

until nc -z -w 5 "$POSTGRES_SEEDS" "$DB_PORT"; do
  echo "attente de PostgreSQL ($POSTGRES_SEEDS:$DB_PORT)…"
  sleep 2
done

for database in temporal temporal_visibility; do
  sql --db "$database" create || echo "base $database déjà présente"
  # setup-schema only creates the versioning table; it fails harmlessly once that exists.
  sql --db "$database" setup-schema -v 0.0 || echo "schéma de $database déjà initialisé"
done
sql --db temporal update-schema -d /etc/temporal/schema/postgresql/v12/temporal/versioned
sql --db temporal_visibility update-schema -d /etc/temporal/schema/postgresql/v12/visibility/versioned
echo "schémas Temporal à jour"
