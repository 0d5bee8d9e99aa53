#!/bin/sh
# Registers the application's namespace once the Temporal server answers (safe to repeat).
set -eu
namespace="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health >/dev/null 2>&1; do
  echo "attente du serveur Temporal ($TEMPORAL_ADDRESS)…"
  sleep 2
done
temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$namespace" --retention 30d
# The pathway's search attributes (workflows/search-attributes.ts), for the Web UI's lists.
for attribute in PlieStage=Keyword PlieReferent=Keyword PlieOverdue=Bool; do
  name="${attribute%%=*}"
  temporal operator search-attribute list --namespace "$namespace" | grep -q "^ *$name " ||
    temporal operator search-attribute create --namespace "$namespace" --name "$name" --type "${attribute#*=}"
done
echo "espace de noms $namespace prêt"
