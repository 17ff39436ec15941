/** What a member's wallet may say about a redemption it refused: the API's error codes a member can meet. */
export const WALLET_REFUSALS = ['insufficient_points', 'out_of_stock', 'member_limit_reached', 'gone'] as const;
export type WalletRefusal = (typeof WALLET_REFUSALS)[number];
