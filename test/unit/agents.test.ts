import { describe, expect, it } from 'vitest';
import { describeAgent } from '../../src/domain/agents';
import { DESKTOP_CHROME, MOBILE_SAFARI } from '../helpers';

describe('describeAgent', () => {
  it('classifies mobile Safari as a human on an iOS phone', () => {
    expect(describeAgent(MOBILE_SAFARI)).toEqual({ deviceClass: 'mobile', os: 'iOS', browser: 'Mobile Safari', isBot: false, botReason: null });
  });

  it('classifies desktop Chrome', () => {
    expect(describeAgent(DESKTOP_CHROME)).toEqual({ deviceClass: 'desktop', os: 'Windows', browser: 'Chrome', isBot: false, botReason: null });
  });

  it('classifies an iPad as a tablet', () => {
    const ipad = 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    expect(describeAgent(ipad).deviceClass).toBe('tablet');
  });

  it.each([
    ['curl/8.5.0', 'user_agent'],
    ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'user_agent'],
    ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'link_preview'],
    ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'link_preview'],
    ['WhatsApp/2.23.20.0', 'link_preview'],
    ['Mozilla/5.0 (compatible; Barracuda Sentinel)', 'email_scanner'],
    ['', 'no_user_agent'],
  ])('flags %s as a bot (%s)', (ua, reason) => {
    expect(describeAgent(ua)).toMatchObject({ deviceClass: 'bot', isBot: true, botReason: reason });
  });

  it('flags HEAD requests as bots whatever the agent', () => {
    expect(describeAgent(MOBILE_SAFARI, 'HEAD')).toMatchObject({ deviceClass: 'bot', isBot: true, botReason: 'head_request' });
  });
});
