import { existsSync, readFileSync } from 'node:fs';
import { CASA_CONFIG, plieConfigSchema, type PlieConfig } from '../domain/plie-config.ts';
import { ConfigError, type Env } from './env.ts';

/** The PLIE this deployment serves: PLIE_CONFIG_FILE (JSON, validated) or the CASA protocol. */
export function loadPlieConfig(env: Env): PlieConfig {
  const file = env.PLIE_CONFIG_FILE;
  if (!file) return CASA_CONFIG;
  if (!existsSync(file)) throw new ConfigError([`PLIE_CONFIG_FILE : fichier introuvable (${file})`]);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`PLIE_CONFIG_FILE : fichier illisible (${file}) : ${readProblem(error)}`]);
  }
  let content: unknown;
  try {
    // A byte order mark, as some editors write it, is not part of the JSON.
    content = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError([`PLIE_CONFIG_FILE : JSON illisible (${whereUnreadable(text, error)})`]);
  }
  const parsed = plieConfigSchema.safeParse(content);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const where = i.path.map(String).join('.') || 'fichier';
        // A message that names its field already is not prefixed twice.
        return `PLIE_CONFIG_FILE : ${i.message.startsWith(`${where} : `) ? i.message : `${where} : ${i.message}`}`;
      }),
    );
  }
  return parsed.data;
}

/** Why the file could not be read, in French (the system's message is not). */
function readProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'EISDIR') return 'c’est un dossier, pas un fichier';
  if (code === 'EACCES' || code === 'EPERM') return 'droits de lecture insuffisants';
  return `erreur système ${typeof code === 'string' ? code : 'inconnue'}`;
}

/**
 * Where JSON.parse stopped, as a person finds it in an editor (line and column); its own message
 * is English, and quotes the file.
 */
function whereUnreadable(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const json = text.replace(/^\uFEFF/, '');
  const position = Number(/at position (\d+)/.exec(message)?.[1] ?? NaN);
  if (/Unexpected end of JSON input/.test(message) || json.trim() === '' || position >= json.length) return 'le fichier s’arrête avant la fin du JSON';
  if (Number.isNaN(position)) return 'vérifiez les guillemets, les virgules et les accolades';
  const before = json.slice(0, position).split('\n');
  return `ligne ${before.length}, colonne ${before.at(-1)!.length + 1} : vérifiez les guillemets, les virgules et les accolades`;
}
