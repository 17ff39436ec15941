/** The rate limiters' client key of a request, as the keyed hash the limiters store (never the address). */
import { clientKey } from '../domain/client-key';
import { hashSecret, type Bindings } from '../env';
import { clientIp } from '../lib/client';
import { hmacHex } from '../lib/crypto';

/** The rate limiters' key for an address (IPv6 by /64), as a keyed hash: what code entries and auth failures store. */
export const clientHashOfIp = (env: Bindings, ip: string): Promise<string> => hmacHex(hashSecret(env), `client:${clientKey(ip)}`);

/** The rate limiters' key of a request. */
export const clientHash = (env: Bindings, headers: Headers): Promise<string> => clientHashOfIp(env, clientIp(headers, env));
