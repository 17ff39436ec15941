-- 0019: shop integrations (issue 14). One row per connected Shopify store, WooCommerce site or Stripe account: its
-- order webhooks arrive at /hooks/<platform>/<id> and are verified with its signing secret, kept sealed (AES-GCM,
-- src/lib/secret-box.ts, bound to the row's id) because it must be used again; the API never answers it.
-- Orders become conversions with order_id `<platform>:<id>:<platform order id>`, so their idempotency is the
-- conversions' own (UNIQUE order_id); refunds are idempotent on the refunds' (conversion_id, refund_key).

CREATE TABLE integrations (
  id               TEXT PRIMARY KEY,
  platform         TEXT NOT NULL CHECK (platform IN ('shopify', 'woocommerce', 'stripe')),
  name             TEXT NOT NULL,
  secret_sealed    TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  rotated_at       TEXT,
  last_received_at TEXT              -- the last delivery whose signature held (at most one write a minute)
);
