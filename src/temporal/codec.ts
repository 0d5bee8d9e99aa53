import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import proto from '@temporalio/proto';

const { temporal } = proto;

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM payload codec: workflow inputs, results and histories hold personal data, so the
 * Temporal server (and its Web UI) only ever sees ciphertext. Each payload names its key id, so keys
 * can rotate: the first key encrypts, every listed key still decrypts.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly currentKeyId: string;

  /** `spec` is `keyId:base64Key[,keyId:base64Key…]`, as in PLIE_PAYLOAD_KEYS. */
  constructor(spec: string) {
    this.keys = new Map();
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
    this.currentKeyId = first;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentKeyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: new TextEncoder().encode(ENCODING),
          [KEY_ID]: new TextEncoder().encode(this.currentKeyId),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || new TextDecoder().decode(encoding) !== ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID];
      const keyId = keyIdBytes ? new TextDecoder().decode(keyIdBytes) : '';
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`clé de chiffrement inconnue : ${keyId} (absente de PLIE_PAYLOAD_KEYS)`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
