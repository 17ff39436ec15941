/**
 * App links of a branded domain: the settings a marketer enters for the iOS and the Android app, and the
 * two well-known files built from them. The files are a pure function of the settings, so a test can state
 * their exact bytes.
 */

/** iOS universal links: the apps (TEAMID.bundle.id) and the paths they open (`NOT /path` excludes). */
export interface AppleAppLinks {
  app_ids: string[];
  paths: string[];
}

/** Android App Links: the app's package and the SHA-256 fingerprints of its signing certificates. */
export interface AndroidAppLinks {
  package_name: string;
  sha256_cert_fingerprints: string[];
}

export const APPLE_APP_ID = /^[A-Z0-9]{10}\.[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
export const APPLE_PATH = /^(NOT )?[/*?][\x21-\x7e]{0,255}$/;
export const ANDROID_PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
export const CERT_FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

export const APPLE_APP_SITE_ASSOCIATION_PATH = '/.well-known/apple-app-site-association';
export const ASSETLINKS_PATH = '/.well-known/assetlinks.json';

/**
 * apple-app-site-association (iOS 13 and later: `appIDs` and `components`): one entry for all the apps,
 * each path a component, `NOT /path` an excluded one. No white space, keys in this order.
 */
export function appleAppSiteAssociation(apple: AppleAppLinks): string {
  const components = apple.paths.map((path) => (path.startsWith('NOT ') ? { '/': path.slice(4), exclude: true } : { '/': path }));
  return JSON.stringify({ applinks: { details: [{ appIDs: apple.app_ids, components }] } });
}

/** assetlinks.json: the app may handle all URLs of the domain. No white space, keys in this order. */
export function assetLinks(android: AndroidAppLinks): string {
  return JSON.stringify([
    {
      relation: ['delegate_permission/common.handle_all_urls'],
      target: { namespace: 'android_app', package_name: android.package_name, sha256_cert_fingerprints: android.sha256_cert_fingerprints },
    },
  ]);
}
