/**
 * Packages that only a developer machine needs (embedded PostgreSQL, MailDev, Temporal's test
 * environment) are devDependencies: the production image (`npm ci --omit=dev`) does not have them.
 * The modules that use them load them on first use through these helpers, so the production entry
 * points start without them, and a development command run there says in French what is missing.
 */

/** A development-only package is not installed (an installation without devDependencies). */
export class DevDependencyMissingError extends Error {
  override readonly name = 'DevDependencyMissingError';
}

function missingMessage(purpose: string, packages: string[], remedy?: string): string {
  const names = packages.map((p) => `« ${p} »`).join(' et ');
  const plural = packages.length > 1;
  return (
    `${purpose} : ${plural ? 'les paquets' : 'le paquet'} ${names} ${plural ? 'manquent' : 'manque'}. ` +
    `${plural ? 'Ce sont des dépendances' : 'C’est une dépendance'} de développement : une installation de production ` +
    `(npm ci --omit=dev, comme l’image Docker) ${plural ? 'ne les a' : 'ne l’a'} pas. ` +
    (remedy ?? 'Installez les dépendances de développement (npm install) sur un poste de développement.')
  );
}

/** True when `error` says that `pkg` itself (not one of its own dependencies) cannot be found. */
function isPackageMissing(error: unknown, pkg: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && (message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`));
}

/**
 * Runs `load` (a dynamic `import()` of `pkg`, written by the caller so that it stays typed) and
 * turns "package not found" into a DevDependencyMissingError saying what it was needed for.
 */
export async function importDevOnly<T>(pkg: string, purpose: string, load: () => Promise<T>, remedy?: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isPackageMissing(error, pkg)) throw new DevDependencyMissingError(missingMessage(purpose, [pkg], remedy), { cause: error });
    throw error;
  }
}

/**
 * Fails before anything starts when one of these packages is not installed (checked by resolving
 * them, without loading them).
 */
export function assertDevPackages(purpose: string, packages: string[], remedy?: string): void {
  const missing = packages.filter((pkg) => {
    try {
      import.meta.resolve(pkg);
      return false;
    } catch (error) {
      if (isPackageMissing(error, pkg)) return true;
      throw error;
    }
  });
  if (missing.length > 0) throw new DevDependencyMissingError(missingMessage(purpose, missing, remedy));
}
