import path from 'node:path';

/** The project's root folder, whatever the current directory. */
export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/** Git-ignored folder for tools built or fetched by the project (Temporal CLI, Java test server). */
export const toolsDir = path.join(projectRoot, '.tools');
