/** The deployment's own keys (PLIE_PAYLOAD_KEYS), and the AES-256-GCM sealing they and the data keys use. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** `iv | ciphertext | tag`: what a payload's data and a wrapped data key hold. */
export function seal(key: Buffer, plain: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Throws when the data was not sealed with this key, or was altered. */
export function open(key: Buffer, data: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
}

export class DeploymentKeys {
  private readonly keys = new Map<string, Buffer>();
  /** The first key of the list: it encrypts (and wraps new data keys); the others only decrypt. */
  readonly current: { id: string; key: Buffer };

  /** `spec` is `keyId:base64Key[,keyId:base64Key…]`, as in PLIE_PAYLOAD_KEYS. */
  constructor(spec: string) {
    for (const entry of spec.split(',')) {
      const [id, b64] = entry.split(':');
      const key = Buffer.from(b64 ?? '', 'base64');
      if (!id || key.length !== 32) {
        throw new Error(`PLIE_PAYLOAD_KEYS : la clé « ${id ?? '?'} » doit faire 32 octets encodés en base64`);
      }
      this.keys.set(id, key);
    }
    const first = spec.split(':')[0];
    if (!first) throw new Error('PLIE_PAYLOAD_KEYS : aucune clé');
    this.current = { id: first, key: this.keys.get(first)! };
  }

  get(id: string): Buffer | undefined {
    return this.keys.get(id);
  }
}
