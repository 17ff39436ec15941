/** A D1 binding that counts round trips: one per batch, one per statement run on its own (see d1-meter.ts). */
export { meteredDb as roundTripDb } from './d1-meter';
