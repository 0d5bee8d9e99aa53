import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Db } from '../db/client.ts';
import { DataKeyStore, participantOfWorkflow, PERSON_KEY_PREFIX } from './data-keys.ts';
import { DeploymentKeys, open, seal } from './deployment-keys.ts';

const { temporal } = proto;

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';

/**
 * AES-256-GCM payload codec: workflow inputs, results and histories hold personal data, so the
 * Temporal server (and its Web UI) only ever sees ciphertext. Each payload names its key id, so keys
 * can rotate: the first deployment key encrypts, every listed key still decrypts.
 *
 * With the database (`db`), a participant's pathway (its workflows, their activities and children)
 * is encrypted with that person's own data key instead (`personne:<key id>`): destroying the key at
 * erasure makes every copy of their histories unreadable, while other people's still decrypt.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: DeploymentKeys;
  private readonly dataKeys: DataKeyStore | undefined;

  /** `spec` is `keyId:base64Key[,keyId:base64Key…]`, as in PLIE_PAYLOAD_KEYS. */
  constructor(spec: string, db?: Db) {
    this.keys = new DeploymentKeys(spec);
    this.dataKeys = db ? new DataKeyStore(db, this.keys) : undefined;
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const participantId = context?.workflowId ? participantOfWorkflow(context.workflowId) : null;
    const { id, key } = participantId && this.dataKeys ? await this.dataKeys.keyFor(participantId) : this.keys.current;
    return payloads.map((payload) => ({
      metadata: { [METADATA_ENCODING_KEY]: new TextEncoder().encode(ENCODING), [KEY_ID]: new TextEncoder().encode(id) },
      data: seal(key, temporal.api.common.v1.Payload.encode(payload).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return await Promise.all(
      payloads.map(async (payload) => {
        const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
        if (!encoding || new TextDecoder().decode(encoding) !== ENCODING) return payload;
        const keyIdBytes = payload.metadata?.[KEY_ID];
        const keyId = keyIdBytes ? new TextDecoder().decode(keyIdBytes) : '';
        const key = await this.keyById(keyId);
        return temporal.api.common.v1.Payload.decode(open(key, Buffer.from(payload.data ?? new Uint8Array())));
      }),
    );
  }

  private async keyById(keyId: string): Promise<Buffer> {
    if (keyId.startsWith(PERSON_KEY_PREFIX)) {
      if (!this.dataKeys) throw new Error(`clé de personne ${keyId} : ce client n’a pas accès à la base des clés`);
      return await this.dataKeys.keyById(keyId);
    }
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`clé de chiffrement inconnue : ${keyId} (absente de PLIE_PAYLOAD_KEYS)`);
    return key;
  }
}
