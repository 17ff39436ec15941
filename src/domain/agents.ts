/**
 * What a request's user agent tells: device class, OS, browser, and whether
 * it is a bot (and why). The lists of preview and scanner agents are data.
 */
import { isbot } from 'isbot';
import UAParser from 'ua-parser-js';
import type { BotReason, DeviceClass } from './vocab';

/** Link unfurlers in chat and social apps: they fetch a link when it is pasted, nobody clicked. */
export const LINK_PREVIEW_AGENTS = [
  'slackbot-linkexpanding',
  'slack-imgproxy',
  'facebookexternalhit',
  'facebot',
  'twitterbot',
  'whatsapp',
  'telegrambot',
  'discordbot',
  'linkedinbot',
  'skypeuripreview',
  'pinterestbot',
  'redditbot',
  'embedly',
  'iframely',
  'mastodon',
  'bluesky cardyb',
  'snapchat',
  'viber',
  'line-poker',
  'kakaotalk-scrap',
  'microsoft teams',
  'skype',
  'applebot',
  'google-pagerenderer',
  'vkshare',
  'quora link preview',
] as const;

/** Mail security gateways that open every link of a message before the recipient does. */
export const EMAIL_SCANNER_AGENTS = [
  'barracuda',
  'mimecast',
  'proofpoint',
  'ms-office',
  'microsoft office',
  'safelinks',
  'symantec',
  'trendmicro',
  'trend micro',
  'forcepoint',
  'sophos',
  'fortiguard',
  'cisco ironport',
  'zscaler',
  'checkpoint',
  'avanan',
  'abnormal security',
  'messagelabs',
  'googleimageproxy',
  'yahoomailproxy',
] as const;

export interface AgentInfo {
  deviceClass: DeviceClass;
  os: string | null;
  browser: string | null;
  isBot: boolean;
  botReason: BotReason | null;
}

function botReason(userAgent: string, method: string): BotReason | null {
  if (method === 'HEAD') return 'head_request';
  const ua = userAgent.trim().toLowerCase();
  if (ua === '') return 'no_user_agent';
  if (LINK_PREVIEW_AGENTS.some((agent) => ua.includes(agent))) return 'link_preview';
  if (EMAIL_SCANNER_AGENTS.some((agent) => ua.includes(agent))) return 'email_scanner';
  if (isbot(userAgent)) return 'user_agent';
  return null;
}

const MAX_REMEMBERED = 2_000;
const remembered = new Map<string, AgentInfo>();

/** Classifies a request by its user agent and method. Results are memoised per agent string (parsing is costly, agents repeat). */
export function describeAgent(userAgent: string, method = 'GET'): AgentInfo {
  const key = `${method === 'HEAD' ? 'HEAD' : 'GET'} ${userAgent}`;
  let info = remembered.get(key);
  if (!info) {
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
    info = parseAgent(userAgent, method);
    remembered.set(key, info);
  }
  return info;
}

function parseAgent(userAgent: string, method: string): AgentInfo {
  const reason = botReason(userAgent, method);
  const parsed = new UAParser(userAgent).getResult();
  const type = parsed.device.type;
  const deviceClass: DeviceClass = reason ? 'bot' : type === 'mobile' ? 'mobile' : type === 'tablet' ? 'tablet' : 'desktop';
  return {
    deviceClass,
    os: parsed.os.name ?? null,
    browser: parsed.browser.name ?? null,
    isBot: reason !== null,
    botReason: reason,
  };
}
