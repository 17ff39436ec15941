/** The one rule for storing a shop's customer reference: only as a keyed hash. */
import { hashSecret, type Bindings } from '../env';
import { hmacHex } from './crypto';

/** The stored customer key (HMAC under HASH_SECRET) of a shop's customer reference. */
export const customerHashOf = (env: Bindings, customerRef: string): Promise<string> => hmacHex(hashSecret(env), customerRef);
