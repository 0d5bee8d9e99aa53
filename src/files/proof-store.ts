/**
 * The proofs participants upload, kept encrypted at rest (AES-256-GCM, PLIE_FILE_KEY): each file
 * is the nonce, the tag and the ciphertext, under a random name that says nothing of the person.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const MAX_PROOF_BYTES = 10 * 1024 * 1024;

export type ProofType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** The type the bytes really are (not what the browser claims): PDF, JPEG or PNG, else null. */
export function detectProofType(bytes: Buffer): ProofType | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

export const EXTENSIONS: Record<ProofType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

export interface ProofStore {
  save: (bytes: Buffer) => Promise<string>;
  read: (reference: string) => Promise<Buffer>;
  remove: (reference: string) => Promise<void>;
}

export function createProofStore(dir: string, keyBase64: string): ProofStore {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new Error('PLIE_FILE_KEY : 32 octets attendus');
  const fileOf = (reference: string) => {
    if (!/^[0-9a-f-]{36}$/.test(reference)) throw new Error('référence de justificatif invalide');
    return path.join(dir, `${reference}.bin`);
  };
  return {
    async save(bytes) {
      const reference = randomUUID();
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      // The reference is bound to the content: a file renamed to another reference fails to open.
      cipher.setAAD(Buffer.from(reference));
      const sealed = Buffer.concat([cipher.update(bytes), cipher.final()]);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(fileOf(reference), Buffer.concat([nonce, cipher.getAuthTag(), sealed]), { mode: 0o600, flag: 'wx' });
      return reference;
    },
    async read(reference) {
      const stored = await readFile(fileOf(reference));
      const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(0, 12));
      decipher.setAAD(Buffer.from(reference));
      decipher.setAuthTag(stored.subarray(12, 28));
      return Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]);
    },
    async remove(reference) {
      await rm(fileOf(reference), { force: true });
    },
  };
}

/** The deployment's proofs folder (PLIE_FILES_DIR, else `justificatifs` in the data folder). */
export function proofsFolder(config: { env: { PLIE_FILES_DIR?: string | undefined }; dataDir: string }): string {
  return config.env.PLIE_FILES_DIR ?? path.join(config.dataDir, 'justificatifs');
}
