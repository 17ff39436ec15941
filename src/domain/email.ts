/**
 * Email rules kept as data: which agents fetching an open pixel are image
 * proxies (machine opens), and when a burst of clicks from one recipient is a
 * mail scanner opening every link of the message.
 */
import { describeAgent } from './agents';

/** Mail clients' image proxies and privacy prefetchers: they load the pixel whether or not a person read the mail. */
export const IMAGE_PROXY_AGENTS = ['googleimageproxy', 'ggpht.com', 'yahoomailproxy', 'ymailproxy', 'outlook-imageproxy', 'front-imageproxy'] as const;

/** Apple Mail Privacy Protection prefetches with this bare agent string. */
export const PREFETCH_EXACT_AGENTS = ['Mozilla/5.0'] as const;

/** A recipient whose clicks reach this many distinct links within ± this many seconds is a scanner. */
export const SCANNER_BURST = { seconds: 10, links: 3 } as const;

export const OPEN_MACHINE_REASONS = ['image_proxy', 'user_agent', 'link_preview', 'email_scanner', 'head_request', 'no_user_agent'] as const;
export type OpenMachineReason = (typeof OPEN_MACHINE_REASONS)[number];

/** Why an open was made by a machine, or null for a person's open. */
export function machineOpenReason(userAgent: string, method = 'GET'): OpenMachineReason | null {
  const ua = userAgent.trim();
  if ((PREFETCH_EXACT_AGENTS as readonly string[]).includes(ua)) return 'image_proxy';
  const lower = ua.toLowerCase();
  if (IMAGE_PROXY_AGENTS.some((agent) => lower.includes(agent))) return 'image_proxy';
  const reason = describeAgent(userAgent, method).botReason;
  return reason === 'scanner_burst' ? null : reason;
}

/** The smallest transparent GIF: 1×1, 43 bytes. */
export const PIXEL_GIF = Uint8Array.from(atob('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=='), (char) => char.charCodeAt(0));
