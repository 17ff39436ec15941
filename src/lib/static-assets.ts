/** Static files the Worker serves itself (no CDN): content-versioned URLs cached for a year, ETag revalidation otherwise. */

export interface StaticAsset {
  body: string;
  type: string;
  version: string;
}

/** FNV-1a, enough to tell two versions of an asset apart. */
export function contentVersion(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

/** An asset of `body` and `type`, with its version. */
export const staticAsset = (body: string, type: string): StaticAsset => ({ body, type, version: contentVersion(body) });

/** The answer to a GET of `asset` asked for as `?v=<requestedVersion>`, honouring If-None-Match. */
export function assetResponse(asset: StaticAsset, requestedVersion: string | undefined, ifNoneMatch: string | undefined): Response {
  const etag = `"${asset.version}"`;
  const headers = {
    'Content-Type': asset.type,
    ETag: etag,
    // Versioned URLs never change; an unversioned request revalidates hourly.
    'Cache-Control': requestedVersion === asset.version ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    'X-Content-Type-Options': 'nosniff',
  };
  if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
  return new Response(asset.body, { status: 200, headers });
}
