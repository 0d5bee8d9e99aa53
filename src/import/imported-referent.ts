/**
 * The referent of an imported pathway, from the import's `referent` column: a staff address, or a
 * name that matches exactly one active referent of the PLIE (the sample files hold names). Anything
 * else leaves the pathway to the coordination, which designates one. Pure.
 */
const normalized = (text: string) => text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

export function importedReferent(column: string | null, referents: ReadonlyArray<{ email: string; name: string }>): string | null {
  if (!column?.trim()) return null;
  const wanted = normalized(column);
  const byEmail = referents.find((r) => normalized(r.email) === wanted);
  if (byEmail) return byEmail.email.trim().toLowerCase();
  const byName = referents.filter((r) => normalized(r.name) === wanted);
  return byName.length === 1 ? byName[0]!.email.trim().toLowerCase() : null;
}
